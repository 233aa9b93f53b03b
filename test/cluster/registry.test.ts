/** RedisRegistry against a real redis-server: atomic capacity, ownership, reaping, failing fast. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCluster } from '../../server/cluster/index.js';
import { RedisRegistry } from '../../server/cluster/redis-registry.js';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import { MemoryRegistry, RegistryUnavailableError } from '../../server/signaling/registry.js';
import { cleanup, startRedis, waitFor, type RedisService } from './support/services.js';

let redis: RedisService;
const conns: Redis[] = [];
let n = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const c of conns) c.disconnect();
  await cleanup();
});

async function registry(node: string, prefix: string): Promise<RedisRegistry> {
  const c = new Redis(redis.url, { enableOfflineQueue: false, commandTimeout: 1000, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  c.on('error', () => undefined);
  conns.push(c);
  await waitFor('redis connection', () => c.status === 'ready');
  return new RedisRegistry(c, { node, prefix });
}

const fresh = () => `t${++n}:`;
const peer = (id: string) => ({ id: `peer-${id}-xxxxxx`, name: id });

describe('RedisRegistry', () => {
  it('admits exactly `capacity` of 20 joins racing from 10 nodes', async () => {
    const prefix = fresh();
    const nodes = await Promise.all(Array.from({ length: 10 }, (_, i) => registry(`n${i}`, prefix)));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => nodes[i % 10]!.join('big', peer(String(i)), 8)));
    expect(results.filter((r) => r.ok)).toHaveLength(8);
    expect(results.filter((r) => !r.ok && r.reason === 'room-full')).toHaveLength(12);
    expect(await nodes[0]!.members('big')).toHaveLength(8);
    expect(await nodes[3]!.counts()).toEqual({ rooms: 1, peers: 8 });
  });

  it('a rejoin is not a new member, moves ownership, and the old owner cannot remove it', async () => {
    const prefix = fresh();
    const [a, b] = [await registry('a', prefix), await registry('b', prefix)];
    expect(await a.join('r', peer('x'), 2)).toEqual({ ok: true, peers: [], rejoined: false });
    await a.join('r', peer('y'), 2);
    const again = await b.join('r', peer('x'), 2); // full room, but x is already a member: a resume
    expect(again).toEqual({ ok: true, peers: [peer('y')], rejoined: true });
    expect(await a.leave('r', peer('x').id)).toBe(false); // a's late grace departure: no-op
    expect(await b.get('r', peer('x').id)).toEqual(peer('x'));
    expect(await b.leave('r', peer('x').id)).toBe(true);
    expect(await a.leave('r', peer('y').id)).toBe(true);
    expect(await a.counts()).toEqual({ rooms: 0, peers: 0 });
  });

  it('reaps the peers of a silent node, except those that resumed elsewhere, once', async () => {
    const prefix = fresh();
    const [dead, live, other] = [await registry('dead', prefix), await registry('live', prefix), await registry('other', prefix)];
    await dead.heartbeat();
    expect(await live.heartbeat()).toBe(true); // first beat: was missing
    expect(await live.heartbeat()).toBe(false);
    await dead.join('r1', peer('gone'), 8);
    await dead.join('r2', peer('moved'), 8);
    await live.join('r1', peer('stay'), 8);
    await live.join('r2', peer('moved'), 8); // resumed on `live`
    expect(await live.reap(60_000)).toEqual([]); // nobody is silent for a minute
    await waitFor('dead to go stale', async () => {
      await live.heartbeat();
      await other.heartbeat();
      return (await other.nodes()).find((x) => x.node === 'dead')!.lastSeen < Date.now() - 300;
    }, 5000);
    const reaped = await other.reap(250);
    expect(reaped).toEqual([{ node: 'dead', room: 'r1', peerId: peer('gone').id }]);
    expect(await other.reap(250)).toEqual([]);
    expect((await other.members('r1')).map((p) => p.name)).toEqual(['stay']);
    expect((await other.members('r2')).map((p) => p.name)).toEqual(['moved']);
    expect((await other.nodes()).map((x) => x.node).sort()).toEqual(['live', 'other']);
    expect(await dead.heartbeat()).toBe(true); // a node that was reaped learns it on its next beat
  });

  it('fails fast with RegistryUnavailableError while Redis is down', async () => {
    const r = await registry('solo', fresh());
    await r.join('r', peer('a'), 8);
    const conn = conns.at(-1)!;
    await redis.stop();
    try {
      await waitFor('the client to notice', () => conn.status !== 'ready');
      const t0 = Date.now();
      await expect(r.join('r', peer('b'), 8)).rejects.toBeInstanceOf(RegistryUnavailableError);
      await expect(r.get('r', peer('a').id)).rejects.toBeInstanceOf(RegistryUnavailableError);
      await expect(r.counts()).rejects.toBeInstanceOf(RegistryUnavailableError);
      expect(Date.now() - t0).toBeLessThan(500);
      expect(r.dirty).toBe(true);
    } finally {
      await redis.start();
    }
    await waitFor('the client to reconnect by itself', () => conn.status === 'ready', 10_000);
    expect(await r.counts()).toEqual({ rooms: 0, peers: 0 }); // this Redis keeps nothing across restarts
  });

  it('keeps a departure that failed for want of Redis and redoes it later, unless the peer is back', async () => {
    const r = await registry('flaky', fresh());
    await r.join('r', peer('a'), 8);
    await r.join('r', peer('b'), 8);
    const conn = conns.at(-1)!;
    conn.disconnect(); // this node loses Redis; Redis keeps its data
    await expect(r.leave('r', peer('a').id)).rejects.toBeInstanceOf(RegistryUnavailableError);
    await expect(r.leave('r', peer('b').id)).rejects.toBeInstanceOf(RegistryUnavailableError);
    expect(r.failedLeaves.size).toBe(2);
    await waitFor('the connection to close', () => conn.status === 'end');
    await conn.connect();
    await r.join('r', peer('b'), 8); // b came back meanwhile
    const done = await r.retryFailedLeaves();
    expect(done).toEqual([{ room: 'r', peerId: peer('a').id }]);
    expect((await r.members('r')).map((p) => p.name)).toEqual(['b']);
    expect(r.failedLeaves.size).toBe(0);
  });

  it('re-asserts its peers after Redis lost its data: live ones outright, those in their grace unless they moved', async () => {
    const prefix = fresh();
    const [a, b] = [await registry('a', prefix), await registry('b', prefix)];
    await a.join('r', peer('live'), 8);
    await a.join('r', peer('grace'), 8);
    await a.join('r', peer('moved'), 8);
    await b.join('r', peer('moved'), 8); // resumed on b while a still waits out its grace
    await b.join('r', peer('onb'), 8);
    await conns.at(-1)!.flushall(); // Redis restarted empty
    const liveOnA = (_room: string, id: string) => id === peer('live').id;
    // a reconciles first: it claims its live peer, puts back the one in grace, and `moved` (absent now).
    const ra = await a.reassert(8, liveOnA);
    expect(ra.readded.map((x) => x.peer.name).sort()).toEqual(['grace', 'live', 'moved']);
    // b's live sockets win: `moved` belongs to b again, and a's late departure cannot remove it.
    const rb = await b.reassert(8, () => true);
    expect(rb.readded.map((x) => x.peer.name).sort()).toEqual(['onb']);
    expect(await a.leave('r', peer('moved').id)).toBe(false);
    expect((await b.members('r')).map((p) => p.name).sort()).toEqual(['grace', 'live', 'moved', 'onb']);
    // Asserting again changes nothing; a peer in grace that moved is dropped by a quietly.
    expect((await a.reassert(8, liveOnA)).readded).toEqual([]);
    expect((await b.reassert(8, () => true)).readded).toEqual([]);
  });

  it('createCluster wires an app: ready with Redis, /api/cluster behind METRICS_TOKEN', async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', TURN_ENABLED: 'false', TURN_URLS: 'turn:127.0.0.1:3478', LOG_LEVEL: 'silent', REDIS_URL: redis.url, NODE_ID: 'inproc', METRICS_TOKEN: 'metrics-token-123' });
    const log = createLogger('silent');
    const cluster = createCluster({ ...config, redisUrl: redis.url }, log, { prefix: fresh() });
    const app = createApp(config, { log, relayFactory: null, ...cluster.deps });
    const { url } = await app.start();
    try {
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      expect((await fetch(`${url}/api/cluster`)).status).toBe(401);
      const res = await fetch(`${url}/api/cluster`, { headers: { authorization: 'Bearer metrics-token-123' } });
      const body = (await res.json()) as { node: string; incarnation: string; nodes: Array<{ node: string }> };
      expect(body.node).toBe('inproc');
      expect(body.nodes.map((n) => n.node)).toEqual([body.incarnation]);
    } finally {
      await app.stop();
    }
  });

  it('without REDIS_URL nothing needs Redis: the app uses the in-memory registry', async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', TURN_ENABLED: 'false', TURN_URLS: 'turn:127.0.0.1:3478', LOG_LEVEL: 'silent' });
    expect(config.redisUrl).toBeUndefined();
    const app = createApp(config, { log: createLogger('silent'), relayFactory: null });
    const { url } = await app.start();
    try {
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      expect(new MemoryRegistry()).toBeInstanceOf(MemoryRegistry);
    } finally {
      await app.stop();
    }
  });
});
