// Builds the browser client: web/src/main.ts -> web/dist/app.js (+ .map), web/styles.css ->
// web/dist/app.css, web/index.html -> web/dist/index.html. One esbuild call; takes well under a
// second. simple-peer (CommonJS, written for browserify) needs Node's `events`, `buffer`,
// `process` and `global`: `buffer` comes from node_modules, `events` and `process` from the small
// shims in web/src/shims, `global` is defined as globalThis.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}web/dist/`;
const dev = process.argv.includes('--dev');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const started = Date.now();
const result = await build({
  entryPoints: { app: `${root}web/src/main.ts` }, // imports web/styles.css -> app.css
  outdir: dist,
  bundle: true,
  minify: !dev,
  sourcemap: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome110', 'firefox115', 'safari16'],
  define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
  inject: [`${root}web/src/shims/node-globals.js`],
  alias: { events: `${root}web/src/shims/events.cjs` },
  metafile: true,
  logLevel: 'warning',
  legalComments: 'linked',
});

// Stamp the html so browsers never mix an old script with a new page.
const stamp = Date.now().toString(36);
const html = readFileSync(`${root}web/index.html`, 'utf8').replaceAll('__BUILD__', stamp);
writeFileSync(`${dist}index.html`, html);

const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`[build-web] web/dist built in ${Date.now() - started} ms (${Math.round(bytes / 1024)} KiB)`);
