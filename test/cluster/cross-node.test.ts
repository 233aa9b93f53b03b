/**
 * The production topology without Docker: redis-server, two signaling nodes (server/main.ts child
 * processes with REDIS_URL) and nginx rendered from deploy/nginx.conf, on loopback ports.
 * Peers reach a node of their choosing through nginx by their source address (hash $remote_addr).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JoinAck } from '../../server/protocol/index.js';
import { addressesByNode, call, client, closeClients, connected, getJson, join, Recorder, request, type Client } from './support/clients.js';
import { cleanup, startNginx, startNode, startRedis, waitFor, type NginxService, type NodeService, type RedisService } from './support/services.js';

let redis: RedisService;
let nodes: NodeService[];
let lb: NginxService;
let via: Map<string, string[]>;

beforeAll(async () => {
  redis = await startRedis();
  nodes = await Promise.all(['node-a', 'node-b'].map((id) => startNode(id, { REDIS_URL: redis.url, ROOM_CAPACITY: '8' })));
  lb = await startNginx(nodes.map((n) => `127.0.0.1:${n.port}`));
  await waitFor('both nodes ready', async () => {
    const r = await Promise.all(nodes.map((n) => getJson(`${n.url}/readyz`)));
    return r.every((x) => x.status === 200);
  });
  via = await addressesByNode(lb.url, 2, ['node-a', 'node-b']);
}, 90_000);

afterAll(async () => {
  closeClients();
  await cleanup();
});

const onNode = (node: 'node-a' | 'node-b', i = 0) => via.get(node)![i]!;

async function peer(node: 'node-a' | 'node-b', room: string, opts: { transport?: 'websocket' | 'polling'; i?: number; reconnection?: boolean } = {}) {
  const socket = await connected(client(lb.url, { from: onNode(node, opts.i), transport: opts.transport, reconnection: opts.reconnection }));
  const rec = new Recorder(socket);
  const ack = await join(socket, room, { name: `${node}-${opts.transport ?? 'ws'}` });
  return { socket, rec, ack, id: ack.peerId };
}

let a: Awaited<ReturnType<typeof peer>>;
let b: Awaited<ReturnType<typeof peer>>;

describe('a cluster of two nodes behind nginx', () => {
  it('nginx spreads clients over both nodes and keeps each address on one node', async () => {
    for (const [node, addrs] of via) {
      for (const from of addrs) expect((await getJson<{ node: string }>(`${lb.url}/api/cluster`, from)).body.node).toBe(node);
    }
    const { body } = await getJson<{ nodes: Array<{ node: string }> }>(`${nodes[0]!.url}/api/cluster`);
    expect(body.nodes.map((n) => n.node.replace(/-[0-9a-f]{6}$/, '')).sort()).toEqual(['node-a', 'node-b']);
  });

  it('two peers on different nodes see each other and complete a call', async () => {
    a = await peer('node-a', 'cross');
    b = await peer('node-b', 'cross');
    expect(a.ack.peers).toEqual([]);
    expect(b.ack.peers).toEqual([{ id: a.id, name: 'node-a-ws' }]);
    await a.rec.waitFor<{ id: string }>('peer-joined', (p) => p.id === b.id);
    // The newcomer initiates: b offers to a, across the nodes, through the Redis adapter.
    await call(b, a);
  });

  it('long-polling through nginx sticks to one node and calls across nodes', async () => {
    const p = await peer('node-b', 'polling', { transport: 'polling' });
    const w = await peer('node-a', 'polling');
    expect(p.socket.io.engine.transport.name).toBe('polling');
    expect(w.ack.peers.map((x) => x.id)).toEqual([p.id]);
    await call(w, p);
    p.socket.disconnect();
    await w.rec.waitFor<{ id: string }>('peer-left', (x) => x.id === p.id);
  });

  it('room capacity holds across nodes: 20 racing into a room of 8 gives 8 joins and 12 room-full', async () => {
    for (const round of [1, 2, 3]) {
      const sockets: Client[] = await Promise.all(
        Array.from({ length: 20 }, (_, i) => connected(client(lb.url, { from: onNode(i % 2 ? 'node-a' : 'node-b', i % 4 < 2 ? 0 : 1) }))),
      );
      const results = await Promise.all(sockets.map((s) => request<JoinAck>(s, 'join', { room: `race-${round}` })));
      const ok = results.filter((r) => r.ok);
      const full = results.filter((r) => !r.ok && r.error.code === 'room-full');
      expect({ round, ok: ok.length, full: full.length }).toEqual({ round, ok: 8, full: 12 });
      // Everyone admitted sees the same roster: a ninth never slipped in.
      const late = await connected(client(lb.url, { from: onNode('node-a') }));
      const nine = await request<JoinAck>(late, 'join', { room: `race-${round}` });
      expect(nine.ok ? 'joined' : nine.error.code).toBe('room-full');
      for (const s of [...sockets, late]) s.disconnect();
    }
  });

  it('survives a Redis restart: /readyz is 503 while it is down, then signaling works again without restarting nodes', async () => {
    await redis.stop();
    for (const n of nodes) {
      const r = await waitFor(`${n.id} not ready`, async () => {
        const x = await getJson<{ reason?: string }>(`${n.url}/readyz`);
        return x.status === 503 ? x : undefined;
      });
      expect(r.body.reason).toMatch(/redis/);
    }
    // Joining meanwhile is refused with `unavailable`, not left hanging.
    const during = await connected(client(lb.url, { from: onNode('node-b') }));
    const refused = await request<JoinAck>(during, 'join', { room: 'during-outage' });
    expect(refused.ok ? 'joined' : refused.error.code).toBe('unavailable');

    await redis.start(); // same port, empty: the nodes re-assert their peers themselves
    for (const n of nodes) await waitFor(`${n.id} ready again`, async () => (await getJson(`${n.url}/readyz`)).status === 200, 15_000);
    await waitFor('the call peers back in the roster', async () => {
      const r = await request<JoinAck>(during, 'join', { room: 'cross' });
      if (!r.ok) return undefined;
      during.emit('leave', {});
      return r.peers.length === 2;
    }, 10_000, 200);
    // The call established before the outage goes on: a renegotiation across the nodes.
    a.rec.events.length = 0;
    b.rec.events.length = 0;
    await call(a, b);
  });

  it('a rolling restart: a node stopped with SIGTERM tells its clients, they resume on the other node, nobody sees them leave', async () => {
    const stay = await peer('node-a', 'rolling');
    const move = await peer('node-b', 'rolling', { reconnection: true });
    await call(move, stay);
    const resumed = new Promise<JoinAck>((resolve, reject) => {
      move.socket.once('server-shutdown', () => {
        move.socket.once('connect', () => {
          request<JoinAck>(move.socket, 'join', { room: 'rolling', resume: { peerId: move.id, key: move.ack.resumeKey } }).then(resolve, reject);
        });
      });
    });
    await nodes[1]!.proc.stop(); // graceful: exits by itself
    expect(nodes[1]!.proc.child.exitCode).toBe(0);
    const r = await resumed;
    expect(r.ok && r.peerId).toBe(move.id);
    move.rec.events.length = 0;
    await call(move, stay);
    expect(stay.rec.of<{ id: string }>('peer-left')).toEqual([]);
  });
});
