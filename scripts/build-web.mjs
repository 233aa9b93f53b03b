// Builds the browser client: web/src/main.ts -> web/dist/app.js (+ .map), web/styles.css ->
// web/dist/app.css, and web/index.html -> web/dist/page.html with app.js inline (the server renders
// the page per request and allows the script by its hash, see server/http/web-page.ts). One esbuild
// call; takes well under a second. The app imports the SDK as `switchboard/client`, which
// tsconfig.json's `paths` (read by esbuild) resolve to its source; simple-peer's Node shims come
// from scripts/shims.mjs.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { root, simplePeerShims } from './shims.mjs';

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
  sourcemap: 'external', // the inline copy points at /app.js.map itself (below)
  format: 'iife',
  platform: 'browser',
  target: ['chrome110', 'firefox115', 'safari16'],
  ...simplePeerShims(),
  metafile: true,
  logLevel: 'warning',
  legalComments: 'linked',
});

// The page: app.js inline (no second request before the client can start), the stylesheet stamped
// so browsers never mix an old one with a new page.
const js = `${readFileSync(`${dist}app.js`, 'utf8').trimEnd()}\n//# sourceMappingURL=/app.js.map`;
// Inside <script>, "</script" would end the element and "<!--" changes how the HTML parser reads
// the rest; esbuild escapes both in strings, and this keeps it that way.
const unsafe = /<\/script|<!--/i.exec(js);
if (unsafe) throw new Error(`[build-web] app.js contains "${unsafe[0]}" and cannot be inlined`);
const template = readFileSync(`${root}web/index.html`, 'utf8');
if (!template.includes('<!--sb-boot-->') || !template.includes('__APP_JS__')) throw new Error('[build-web] web/index.html lacks <!--sb-boot--> or __APP_JS__');
const stamp = Date.now().toString(36);
const html = template.replaceAll('__BUILD__', stamp).replace('__APP_JS__', () => js);
copyFileSync(`${root}web/favicon.svg`, `${dist}favicon.svg`);
// Atomically: a server reading it meanwhile sees the old page or the new one, never half of one.
writeFileSync(`${dist}page.html.tmp`, html);
renameSync(`${dist}page.html.tmp`, `${dist}page.html`);

const sizes = Object.entries(result.metafile.outputs)
  .filter(([file]) => /\.(js|css)$/.test(file))
  .map(([file, o]) => `${basename(file)} ${(o.bytes / 1024).toFixed(1)} KiB`);
console.log(`[build-web] web/dist built in ${Date.now() - started} ms: ${sizes.join(', ')} (+ source maps)`);
