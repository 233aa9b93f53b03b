/**
 * The comparison side of the browser benchmarks, one process (run inside the benchmark's network
 * namespace): a PeerJS server (npm `peer`, `PeerServer` at /peerjs) whose express app also serves
 * the PeerJS page (/peerjs.html) and the bare RTCDataChannel page (/bare.html), both bundled with
 * esbuild at start (minified, like Switchboard's client).
 *
 * ICE servers for those pages are the list Switchboard hands out (`GET /api/ice-servers` of the
 * Switchboard server at SWITCHBOARD_URL: STUN and TURN of its embedded relay, TURN REST
 * credentials), fetched at start and then every minute, and written into the page as
 * `window.BENCH_ICE`, so no extra request is timed.
 *
 * With SWITCHBOARD_COTURN_URL (a second Switchboard server whose TURN_URLS name the benchmark's
 * coturn), `?turn=coturn` on a page gets that server's list instead: the same pages through
 * coturn. Likewise SWITCHBOARD_HOLD_URL and `?turn=hold` (a Switchboard server whose relay
 * has TURN_PERMISSION_HOLD_MS=500).
 *
 * Prints one JSON line `{"port": N}` when listening.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { PeerServer } from 'peer';

const sbUrl = process.env.SWITCHBOARD_URL;
if (!sbUrl) throw new Error('SWITCHBOARD_URL is required');

const dir = fileURLToPath(new URL('./pages/', import.meta.url));
const bundles = new Map<string, string>();
for (const name of ['peerjs', 'bare']) {
  const r = await build({ entryPoints: [`${dir}${name}-page.ts`], bundle: true, minify: true, format: 'iife', platform: 'browser', target: ['chrome110'], write: false, logLevel: 'warning' });
  bundles.set(name, r.outputFiles[0]!.text);
}

const others: Record<string, string | undefined> = { coturn: process.env.SWITCHBOARD_COTURN_URL, hold: process.env.SWITCHBOARD_HOLD_URL };
const ice: Record<string, unknown[]> = { ours: [] };
async function fetchIce(url: string): Promise<unknown[]> {
  const res = await fetch(`${url}/api/ice-servers`);
  if (!res.ok) throw new Error(`GET ${url}/api/ice-servers: ${res.status}`);
  return ((await res.json()) as { iceServers: unknown[] }).iceServers;
}
async function refreshIce(): Promise<void> {
  ice.ours = await fetchIce(sbUrl!);
  for (const [name, url] of Object.entries(others)) if (url) ice[name] = await fetchIce(url);
}
await refreshIce();
setInterval(() => void refreshIce().catch((e: Error) => console.error(`[pages] ${e.message}`)), 60_000).unref();

const app = PeerServer({ host: '0.0.0.0', port: 0, path: '/peerjs', allow_discovery: false }, (server) => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});
app.get(/^\/(peerjs|bare)\.html$/, (req: IncomingMessage, res: ServerResponse) => {
  const name = /^\/(\w+)/.exec(req.url ?? '')![1]!;
  const relay = new URL(req.url ?? '/', 'http://x').searchParams.get('turn') ?? 'ours';
  if (!ice[relay]) return void res.writeHead(400).end(`no relay "${relay}" in this run`);
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${name}</title></head><body>` +
    `<script>window.BENCH_ICE=${JSON.stringify(ice[relay])}</script><script src="/${name}.js"></script></body></html>`;
  // The same Cross-Origin-Opener-Policy as Switchboard's pages (helmet's default): a page with it
  // cannot reuse the renderer of the tab's initial about:blank and starts in a new process (a
  // browsing context group switch), which a page without it is spared. In a real tab, a link or
  // the address bar gets a new process for the new site either way.
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'cross-origin-opener-policy': 'same-origin' }).end(html);
});
app.get(/^\/(peerjs|bare)\.js$/, (req: IncomingMessage, res: ServerResponse) => {
  const name = /^\/(\w+)/.exec(req.url ?? '')![1]!;
  res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(bundles.get(name));
});
process.on('SIGTERM', () => process.exit(0));
