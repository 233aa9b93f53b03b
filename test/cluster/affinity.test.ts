/**
 * Room affinity (issue 18): nginx, as deploy/nginx.conf ships it, hashes the room that the SDK puts
 * in every Socket.IO request's URL, so a room's peers meet on one node, over WebSocket and over
 * long-polling alike, and their signals never cross Redis; a fourth node added takes about a quarter of
 * the rooms of three, and only rooms that move to it move; a node killed hands its rooms to one
 * other node, where its peers resume and go on signalling. Real redis-server, nodes and nginx.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JoinAck } from '../../server/protocol/index.js';
import { call, client, closeClients, connected, getJson, join, Recorder, request, type Client, type Joined } from './support/clients.js';
import { parsePrometheusText, value } from '../support/prom-text.js';
import { cleanup, renderNginxConf, startNginx, startNode, startRedis, waitFor, type NginxService, type NodeService, type RedisService } from './support/services.js';

let redis: RedisService;
let nodes: NodeService[];
let lb: NginxService;

beforeAll(async () => {
  redis = await startRedis();
  const env = { REDIS_URL: redis.url, RESUME_GRACE_MS: '5000', NODE_TTL_MS: '1500' };
  nodes = await Promise.all(['aff-1', 'aff-2', 'aff-3'].map((id) => startNode(id, env)));
  lb = await startNginx(nodes.map((n) => `127.0.0.1:${n.port}`));
  await waitFor('the nodes ready', async () => (await Promise.all(nodes.map((n) => getJson(`${n.url}/readyz`)))).every((x) => x.status === 200));
}, 90_000);

afterAll(async () => {
  closeClients();
  await cleanup();
});

/** The node nginx sends `room` to (the node answering /api/cluster for that URL). */
const nodeOf = async (room: string) => (await getJson<{ node: string }>(`${lb.url}/api/cluster?room=${room}`)).body.node;
/** Where each room maps, asked ten at a time (300 requests at once time out on a loaded machine). */
async function mapRooms(rooms: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < rooms.length; i += 10) {
    for (const [r, n] of await Promise.all(rooms.slice(i, i + 10).map(async (r) => [r, await nodeOf(r)] as const))) out.set(r, n);
  }
  return out;
}
const sockets = async (n: NodeService) => (await getJson<{ signaling: { sockets: number } }>(`${n.url}/api/stats`)).body.signaling.sockets;
const metric = async (n: NodeService, name: string) => value(parsePrometheusText(await (await fetch(`${n.url}/metrics`)).text()), name);

interface Peer {
  socket: Client;
  rec: Recorder;
  id: string;
  ack: Joined;
}

async function peer(room: string, transport: 'websocket' | 'polling' = 'websocket', reconnection = false): Promise<Peer> {
  const socket = await connected(client(lb.url, { room, transport, reconnection }));
  const rec = new Recorder(socket);
  const ack = await join(socket, room);
  return { socket, rec, id: ack.peerId, ack };
}

describe('room affinity', () => {
  it("puts a room's peers on the node its hash names, over WebSocket and long-polling, and their signals stay on it", async () => {
    const placed = new Map<string, number>();
    const crossBefore = (await Promise.all(nodes.map((n) => metric(n, 'switchboard_signals_cross_node_total')))).reduce((a, b) => a + b, 0);
    for (let i = 0; i < 12; i++) {
      const room = `affinity-${i}`;
      const transport = i % 2 ? 'polling' : 'websocket';
      // The previous room's sockets have closed (a disconnect reaches the node a moment later).
      const before = await waitFor('no socket left on any node', async () => {
        const n = await Promise.all(nodes.map(sockets));
        return n.every((x) => x === 0) && n;
      });
      const a = await peer(room, transport);
      const b = await peer(room, transport);
      await call({ ...a, id: a.id }, { ...b, id: b.id });
      const after = await Promise.all(nodes.map(sockets));
      const gained = nodes.filter((_, k) => after[k]! - before[k]! === 2).map((n) => n.id);
      expect(gained, `${room} (${transport}): sockets per node ${before} -> ${after}`).toEqual([await nodeOf(room)]);
      placed.set(gained[0]!, (placed.get(gained[0]!) ?? 0) + 1);
      a.socket.disconnect();
      b.socket.disconnect();
    }
    // The rooms spread over the nodes (12 rooms on 3 nodes: all on one would be a broken hash).
    expect(placed.size, JSON.stringify([...placed])).toBeGreaterThan(1);
    const crossAfter = (await Promise.all(nodes.map((n) => metric(n, 'switchboard_signals_cross_node_total')))).reduce((a, b) => a + b, 0);
    expect(crossAfter - crossBefore, 'signals that went through Redis').toBe(0);
  }, 90_000);

  it('a fourth node added takes about a quarter of the rooms, and only rooms that move to it move', async () => {
    const rooms = Array.from({ length: 300 }, (_, i) => `ring-${i}`);
    const before = await mapRooms(rooms);
    const extra = await startNode('aff-4', { REDIS_URL: redis.url, NODE_TTL_MS: '1500' });
    // The same nginx, its upstream list grown by one, reloaded as an operator would.
    const dir = joinPath((/-p (\S+)/.exec(lb.proc.child.spawnargs.join(' ')) ?? [])[1] ?? '');
    const reload = (ns: NodeService[]) => {
      writeFileSync(joinPath(dir, 'nginx.conf'), renderNginxConf({ listen: `127.0.0.1:${lb.port}`, upstreams: ns.map((n) => `127.0.0.1:${n.port}`), dir }));
      return spawnSync('nginx', ['-p', dir, '-c', joinPath(dir, 'nginx.conf'), '-e', joinPath(dir, 'error.log'), '-s', 'reload'], { encoding: 'utf8' });
    };
    try {
      const r = reload([...nodes, extra]);
      expect(r.status, r.stderr).toBe(0);
      await waitFor('nginx to route to the added node', async () => [...(await mapRooms(rooms.slice(0, 40))).values()].includes('aff-4'), 20_000, 200);
      const after = await mapRooms(rooms);
      const moved = rooms.filter((r) => after.get(r) !== before.get(r));
      expect(moved.every((r) => after.get(r) === 'aff-4'), 'a room moved between two old nodes').toBe(true);
      const share = moved.length / rooms.length;
      console.log(`[affinity] a 4th node took ${moved.length} of ${rooms.length} rooms (${(share * 100).toFixed(0)}%; 1/N = 25%)`);
      expect(share).toBeGreaterThan(0.1);
      expect(share).toBeLessThan(0.45);
    } finally {
      // Back to three, for the next test, whatever happened above.
      expect(reload(nodes).status).toBe(0);
      await waitFor('nginx back to three nodes', async () => ![...(await mapRooms(rooms.slice(0, 40))).values()].includes('aff-4'), 20_000, 200);
      await extra.proc.stop();
    }
  }, 90_000);

  it("a node killed hands its rooms to one other node: the room's peers resume there together and signal again", async () => {
    const room = 'affinity-kill';
    const home = await nodeOf(room);
    const live = nodes.filter((n) => n.id !== home);
    const base = await Promise.all(live.map(sockets));
    const a = await peer(room, 'websocket', true);
    const b = await peer(room, 'polling', true);
    await call(a, b);
    const resumed = [a, b].map(
      (p) =>
        new Promise<Joined>((resolve, reject) =>
          p.socket.once('connect', () =>
            request<JoinAck>(p.socket, 'join', { room, resume: { peerId: p.id, key: p.ack.resumeKey } }).then((r) => (r.ok ? resolve(r) : reject(new Error(r.error.code))), reject),
          ),
        ),
    );
    const victim = nodes.find((n) => n.id === home);
    expect(victim, `the room maps to ${home}, not one of the three nodes`).toBeDefined();
    victim!.proc.child.kill('SIGKILL');
    const back = await Promise.all(resumed);
    expect(back.map((r) => r.peerId)).toEqual([a.id, b.id]);
    const now = await waitFor('the room to map to a live node', async () => {
      const n = await nodeOf(room).catch(() => undefined);
      return n && n !== home ? n : undefined;
    });
    const counts = await Promise.all(live.map(sockets));
    expect(live.filter((_, k) => counts[k]! - base[k]! === 2).map((n) => n.id), `sockets on the live nodes: ${base} -> ${counts}`).toEqual([now]);
    await call({ ...a, rec: a.rec }, { ...b, rec: b.rec });
  }, 90_000);
});
