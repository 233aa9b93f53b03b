/**
 * Node failure and resume across nodes. Short timings so the bound is seconds:
 * RESUME_GRACE_MS=3000, NODE_TTL_MS=1500 -> heartbeat every 500 ms, a dead node's peers removed
 * once its last heartbeat is max(1500, 3000) = 3000 ms old: within 3500 ms of its death.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JoinAck } from '../../server/protocol/index.js';
import { addressesByNode, call, client, closeClients, connected, getJson, join, Recorder, request, type Client, type Joined } from './support/clients.js';
import { cleanup, startNginx, startNode, startRedis, waitFor, type NginxService, type NodeService, type RedisService } from './support/services.js';

const GRACE_MS = 3000;
const TTL_MS = 1500;
const BOUND_MS = Math.max(TTL_MS, GRACE_MS) + TTL_MS / 3;

let redis: RedisService;
let nodes: Record<'node-a' | 'node-b', NodeService>;
let lb: NginxService;
let via: Map<string, string[]>;

beforeAll(async () => {
  redis = await startRedis({ persist: true });
  const env = { REDIS_URL: redis.url, RESUME_GRACE_MS: String(GRACE_MS), NODE_TTL_MS: String(TTL_MS) };
  const [a, b] = await Promise.all([startNode('node-a', env), startNode('node-b', env)]);
  nodes = { 'node-a': a, 'node-b': b };
  lb = await startNginx([a, b].map((n) => `127.0.0.1:${n.port}`));
  await waitFor('both nodes ready', async () => (await Promise.all([a, b].map((n) => getJson(`${n.url}/readyz`)))).every((x) => x.status === 200));
  via = await addressesByNode(lb.url, 1, ['node-a', 'node-b']);
}, 90_000);

afterAll(async () => {
  closeClients();
  await cleanup();
});

const from = (node: 'node-a' | 'node-b') => via.get(node)![0]!;

interface Peer {
  name: string;
  socket: Client;
  rec: Recorder;
  id: string;
  ack: Joined;
}

async function peer(node: 'node-a' | 'node-b', room: string, name: string, reconnection = false, transport: 'websocket' | 'polling' = 'websocket'): Promise<Peer> {
  const socket = await connected(client(lb.url, { from: from(node), reconnection, transport }));
  const rec = new Recorder(socket);
  const ack = await join(socket, room, { name });
  return { name, socket, rec, id: ack.peerId, ack };
}

/** What a browser client does after its socket reconnected: join again under its old peer id. */
function resumeOnReconnect(p: Peer, room: string): Promise<Joined> {
  return new Promise((resolve, reject) => {
    p.socket.once('connect', () => {
      request<JoinAck>(p.socket, 'join', { room, name: p.name, resume: { peerId: p.id, key: p.ack.resumeKey } }).then((r) => {
        if (r.ok) resolve(r);
        else reject(new Error(`resume failed: ${r.error.code}`));
      }, reject);
    });
  });
}

async function roster(room: string, node: 'node-a' | 'node-b'): Promise<string[]> {
  const s = await connected(client(lb.url, { from: from(node) }));
  try {
    const r = await request<JoinAck>(s, 'join', { room });
    if (!r.ok) throw new Error(r.error.code);
    return r.peers.map((p) => p.id).sort();
  } finally {
    s.disconnect();
  }
}

describe('node failure', () => {
  it('a peer that drops and resumes on another node within the grace is never announced as left', async () => {
    const watcher = await peer('node-b', 'grace', 'watcher');
    const mover = await peer('node-a', 'grace', 'mover');
    await watcher.rec.waitFor<{ id: string }>('peer-joined', (p) => p.id === mover.id);
    // The transport drops (no explicit disconnect): node-a starts its resume grace...
    const stats = async () => (await getJson<{ signaling: { pendingDepartures: number } }>(`${nodes['node-a'].url}/api/stats`)).body.signaling;
    mover.socket.io.engine.close();
    await waitFor('node-a to start the grace', async () => (await stats()).pendingDepartures === 1);
    // ...and the client comes back through the other node, with its resume key.
    const again = await connected(client(lb.url, { from: from('node-b') }));
    const r = await request<JoinAck>(again, 'join', { room: 'grace', resume: { peerId: mover.id, key: mover.ack.resumeKey } });
    expect(r.ok && r.peerId).toBe(mover.id);
    // node-a's grace timer fires after GRACE_MS: it must not remove a peer that lives on node-b now.
    await waitFor("node-a's grace timer to fire", async () => (await stats()).pendingDepartures === 0, GRACE_MS + 3000);
    expect(await roster('grace', 'node-a')).toEqual([mover.id, watcher.id].sort());
    const moved = { socket: again, rec: new Recorder(again), id: mover.id };
    await call(moved, watcher); // round trips through Redis after the timer: a peer-left would be here by now
    expect(watcher.rec.of<{ id: string }>('peer-left').filter((p) => p.id === mover.id)).toEqual([]);
  });

  it('a resume on another node disconnects the old socket there, without a peer-left', async () => {
    const watcher = await peer('node-a', 'takeover', 'watcher');
    const old = await peer('node-b', 'takeover', 'twice');
    const again = await connected(client(lb.url, { from: from('node-a') }));
    const r = await request<JoinAck>(again, 'join', { room: 'takeover', resume: { peerId: old.id, key: old.ack.resumeKey } });
    expect(r.ok && r.resumed).toBe(true);
    await old.rec.waitFor<string>('disconnect', (reason) => reason === 'io server disconnect');
    const moved = { socket: again, rec: new Recorder(again), id: old.id };
    await call(moved, watcher);
    expect(watcher.rec.of<{ id: string }>('peer-left')).toEqual([]);
  });

  it('a Redis outage longer than the reap delay is not mistaken for the death of every node', async () => {
    const watcher = await peer('node-a', 'outage', 'watcher');
    const other = await peer('node-b', 'outage', 'other');
    await redis.stop();
    const downAt = Date.now();
    for (const n of Object.values(nodes)) await waitFor(`${n.id} not ready`, async () => (await getJson(`${n.url}/readyz`)).status === 503);
    // Keep Redis down past the reap delay: every node's last heartbeat is then "stale".
    await waitFor('the outage to outlast the reap delay', () => Date.now() - downAt > GRACE_MS + TTL_MS, GRACE_MS + TTL_MS + 2000, 100);
    await redis.start(); // with its append-only file: the rooms are still there
    for (const n of Object.values(nodes)) await waitFor(`${n.id} ready`, async () => (await getJson(`${n.url}/readyz`)).status === 200, 10_000);
    const upAt = Date.now();
    // Past the point where a node reconnected first would have reaped the other.
    await waitFor('both nodes to judge again', () => Date.now() - upAt > GRACE_MS + TTL_MS, GRACE_MS + TTL_MS + 2000, 100);
    await call(other, watcher);
    expect(watcher.rec.of('peer-left')).toEqual([]);
    expect(other.rec.of('peer-left')).toEqual([]);
    expect(await roster('outage', 'node-b')).toEqual([other.id, watcher.id].sort());
  });

  it('SIGKILL of a node: its clients resume through nginx on the survivor, the others are removed within the bound', async () => {
    const room = 'failover';
    const survivor = await peer('node-b', room, 'survivor');
    const resumer = await peer('node-a', room, 'resumer', true);
    const poller = await peer('node-a', room, 'poller', true, 'polling'); // long-polling: sticky through nginx
    const goner = await peer('node-a', room, 'goner', false); // its client dies with the node
    await survivor.rec.waitFor<{ id: string }>('peer-joined', (p) => p.id === goner.id);
    await call(resumer, survivor);
    await call(poller, survivor);
    const resumed = resumeOnReconnect(resumer, room);
    const pollerResumed = resumeOnReconnect(poller, room);

    const killedAt = Date.now();
    nodes['node-a'].proc.child.kill('SIGKILL');
    await nodes['node-a'].proc.exited;

    // The resumer reconnects through nginx (which fails over to node-b) and keeps its peer id.
    const r = await resumed;
    expect(r.peerId).toBe(resumer.id);
    expect(r.resumed).toBe(true);
    expect(r.peers.map((p) => p.id)).toEqual(expect.arrayContaining([goner.id, survivor.id])); // goner still in its grace
    expect((await pollerResumed).peerId).toBe(poller.id);
    expect(poller.socket.io.engine.transport.name).toBe('polling');

    // The goner disappears from the survivor's roster within the bound, announced once.
    await survivor.rec.waitFor<{ id: string }>('peer-left', (p) => p.id === goner.id, BOUND_MS + 2000);
    const tookMs = Date.now() - killedAt;
    console.log(`[cluster] dead node's peer removed ${tookMs} ms after SIGKILL (bound ${BOUND_MS} ms)`);
    expect(tookMs).toBeLessThanOrEqual(BOUND_MS + 1500); // slack for timers on a loaded 2-core machine
    expect(survivor.rec.of<{ id: string }>('peer-left').map((p) => p.id)).toEqual([goner.id]);
    await resumer.rec.waitFor<{ id: string }>('peer-left', (p) => p.id === goner.id);
    expect(resumer.rec.of<{ id: string }>('peer-left').map((p) => p.id)).toEqual([goner.id]);
    // The roster converged: no ghosts, the resumed peer kept.
    expect(await roster(room, 'node-b')).toEqual([poller.id, resumer.id, survivor.id].sort());
    const { body } = await getJson<{ nodes: Array<{ node: string }> }>(`${nodes['node-b'].url}/api/cluster`);
    expect(body.nodes.map((n) => n.node)).toEqual([expect.stringMatching(/^node-b-/)]);

    // The call goes on: renegotiation between the resumed peer and the survivor.
    for (const p of [resumer, poller, survivor]) p.rec.events.length = 0;
    await call(resumer, survivor);
    await call(poller, survivor);
  });
});
