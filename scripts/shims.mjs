// esbuild settings that let simple-peer (CommonJS, written for browserify) run without Node's
// built-ins: `buffer` from node_modules, `events` and `process` from the small shims in
// web/src/shims, `global` as globalThis, `debug` as a no-op. Shared by the web app's build
// (build-web.mjs) and the SDK's bundle (build.mjs), so that neither the app nor a user of
// `switchboard/client` has to add Node polyfills to their bundler.
//
// Aliases keep the bundle lean: every `buffer` import (simple-peer's own, readable-stream's, our
// node-globals shim) resolves to the one copy simple-peer depends on, where npm would otherwise
// bundle two (~25 KiB each); `debug` (only simple-peer's logging, off in browsers) is a no-op shim.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

export function simplePeerShims() {
  // `buffer/`: the package, not Node's builtin, as simple-peer itself resolves it.
  const simplePeerBuffer = createRequire(createRequire(import.meta.url).resolve('simple-peer')).resolve('buffer/');
  return {
    define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
    inject: [`${root}web/src/shims/node-globals.js`],
    alias: { events: `${root}web/src/shims/events.cjs`, buffer: simplePeerBuffer, debug: `${root}web/src/shims/debug.cjs` },
  };
}
