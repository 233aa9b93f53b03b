/**
 * The PeerJS side of the call-setup benchmark (bundled by bench/browser/pages-server.ts).
 *
 *   /peerjs.html?role=host&id=ID[&relay=1]    registers ID with the PeerJS server, accepts a connection
 *   /peerjs.html?role=join&target=ID[&relay=1] on load: `new Peer()` (server-assigned id), then on
 *                                            'open' `peer.connect(ID)`; done at `conn.on('open')`
 *
 * ICE servers: the same list Switchboard hands out (STUN + its embedded TURN relay), injected by
 * the pages server as `window.BENCH_ICE`; `relay=1` adds `iceTransportPolicy: 'relay'`.
 */
import { type DataConnection, Peer, type PeerOptions } from 'peerjs';

interface BenchWindow {
  BENCH_ICE: RTCIceServer[];
  __bench: { mark(name: string): void };
  bench: { role: string; id: string | null; open: boolean; error: string | null };
}
const w = window as unknown as BenchWindow;
const q = new URLSearchParams(location.search);
const role = q.get('role') ?? 'join';
const state: BenchWindow['bench'] = { role, id: null, open: false, error: null };
w.bench = state;

const opts: PeerOptions = {
  host: location.hostname,
  port: Number(location.port),
  path: '/peerjs',
  secure: false,
  debug: 0,
  config: { iceServers: w.BENCH_ICE, iceTransportPolicy: q.get('relay') === '1' ? 'relay' : 'all' },
};
const opened = (conn: DataConnection) =>
  conn.on('open', () => {
    w.__bench.mark('conn-open');
    state.open = true;
  });

w.__bench.mark('new-peer');
const peer = role === 'host' ? new Peer(q.get('id')!, opts) : new Peer(opts);
peer.on('error', (e) => (state.error = `${e.type}: ${e.message}`));
peer.on('open', (id) => {
  w.__bench.mark('peer-open');
  state.id = id;
  if (role === 'join') opened(peer.connect(q.get('target')!, { reliable: true }));
});
peer.on('connection', (conn) => opened(conn));
