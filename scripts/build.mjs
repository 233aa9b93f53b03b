// `npm run build` (also run by `npm start`, `npm test` and `npm pack`): everything the package
// ships, in dist/.
// - server/, turn/ and the SDK's sources compiled by tsc (tsconfig.build.json): ESM and .d.ts,
//   run by plain `node` (no TypeScript loader in production). Incremental: a second run with no
//   change takes about a second.
// - dist/client/index.js: the SDK (`switchboard/client`) as one ESM module with simple-peer and its
//   shims inside, so a user's bundler (Vite, webpack, esbuild) needs no Node polyfills;
//   socket.io-client stays an import (a dependency of the package, browser- and Node-ready).
// - the web app (build-web.mjs) and the metrics dashboard's static files, next to the compiled
//   server modules that serve them (the paths they use are relative to their own module).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { root, simplePeerShims } from './shims.mjs';

const started = Date.now();
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit', cwd: root });

cpSync(`${root}server/observability/dashboard`, `${root}dist/server/observability/dashboard`, { recursive: true });

execFileSync(process.execPath, [`${root}scripts/build-web.mjs`], { stdio: 'inherit', cwd: root });
rmSync(`${root}dist/web/dist`, { recursive: true, force: true });
cpSync(`${root}web/dist`, `${root}dist/web/dist`, { recursive: true });

mkdirSync(`${root}dist/client`, { recursive: true });
await build({
  entryPoints: [`${root}web/src/core/index.ts`],
  outfile: `${root}dist/client/index.js`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  sourcemap: true,
  external: ['socket.io-client'],
  ...simplePeerShims(),
  logLevel: 'warning',
  legalComments: 'linked',
});
console.log(`[build] dist/ built in ${Date.now() - started} ms`);
