// Injected into the browser bundle (esbuild `inject`): the Node globals simple-peer and
// readable-stream expect. `global` itself is handled by esbuild `define`.
import { Buffer } from 'buffer';

const process = {
  browser: true,
  env: {},
  argv: [],
  version: '',
  versions: {},
  nextTick(fn, ...args) {
    queueMicrotask(() => fn(...args));
  },
};

export { Buffer, process };
