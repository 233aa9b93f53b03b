/**
 * Cluster mode (REDIS_URL set): the pieces createApp takes to run as one node of many.
 *
 * - `registry`: RedisRegistry, rooms shared by all nodes, capacity checked atomically.
 * - `configureIo`: the official Socket.IO Redis adapter (@socket.io/redis-adapter), so
 *   `io.to("room:<name>")` and `io.to("peer:<id>")` reach sockets on every node; then the heartbeat
 *   and reaper (node.ts). Sharded by default (REDIS_ADAPTER): Redis 7's SPUBLISH/SSUBSCRIBE with a
 *   channel per room (`dynamic` subscriptions), so a node receives only broadcasts to rooms and
 *   peers it holds, where the classic adapter has every node receive every broadcast.
 * - `readinessChecks`: /readyz is 503 while any Redis connection is down.
 * - `registerMetrics`: `switchboard_redis_up{connection}`, 1 while that Redis connection is ready.
 * - `extraRoutes`: GET /api/cluster, which node answered, which nodes are alive, and the Redis
 *   messages this node's adapter published and received (behind METRICS_TOKEN when set).
 *
 * Redis client: ioredis. It reconnects by itself forever (retryStrategy) and re-subscribes the
 * adapter's channels after a reconnect; `enableOfflineQueue: false` makes registry calls fail at
 * once while Redis is away (clients get `unavailable` instead of hanging); defineCommand runs the
 * Lua scripts by EVALSHA and reloads them transparently after a Redis restart emptied its script
 * cache.
 */
import { randomBytes } from 'node:crypto';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Router } from 'express';
import { Redis, type RedisOptions } from 'ioredis';
import { Gauge } from 'prom-client';
import type { AppDeps } from '../app.js';
import type { Config } from '../config.js';
import { requireBearer } from '../http/bearer.js';
import type { Logger } from '../log.js';
import type { RoomRegistry } from '../signaling/registry.js';
import { ClusterNode } from './node.js';
import { RedisRegistry } from './redis-registry.js';

/** The settings {@link createCluster} reads: a {@link Config}'s cluster fields, with REDIS_URL required. */
export type ClusterConfig = Pick<Config, 'nodeId' | 'nodeTtlMs' | 'resumeGraceMs' | 'roomCapacity' | 'metricsToken'> & Partial<Pick<Config, 'redisAdapter'>> & { redisUrl: string };

/**
 * The running cluster node, as far as callers may drive it. (The class behind it also has the
 * start/stop the cluster itself calls; narrowed so they are not public.)
 */
export interface ClusterNodeHandle {
  /** Runs one heartbeat/reap/reconcile round now; concurrent calls share the round in progress. */
  tick(): Promise<void>;
}

/** One node of a cluster: pass `deps` to {@link createApp}. */
export interface Cluster {
  /** The app dependencies that make it a cluster node: `createApp(config, { ...cluster.deps })`. */
  deps: Pick<AppDeps, 'registry' | 'readinessChecks' | 'configureIo' | 'extraRoutes' | 'registerMetrics'>;
  /**
   * The Redis room registry (the one in `deps`). Typed as the public RoomRegistry: its
   * Redis-specific methods (heartbeat, reap, reassert) belong to the cluster node.
   */
  registry: RoomRegistry;
  /** Heartbeat period, ms: a third of NODE_TTL_MS, at least 250. */
  heartbeatMs: number;
  /** A node silent this long is dead and its peers removed, ms: max(NODE_TTL_MS, RESUME_GRACE_MS). */
  reapAfterMs: number;
  /** The node's heartbeat; set once `configureIo` ran (at the app's `start()`). */
  node(): ClusterNodeHandle | undefined;
}

/** Options of {@link createCluster}. */
export interface ClusterOptions {
  /** Key prefix in Redis (tests isolate themselves with their own). */
  prefix?: string;
}

const READY_WAIT_MS = 5_000;

function watch(client: Redis, name: string, log: Logger): void {
  let up = false;
  client.on('ready', () => {
    if (!up) log.info({ connection: name }, 'redis connected');
    up = true;
  });
  client.on('error', (err: Error) => {
    if (up) log.warn({ connection: name, err: err.message }, 'redis connection lost; reconnecting');
    up = false;
  });
}

/**
 * The adapter calls these without awaiting them: a failure (Redis down, or the connection closed
 * at shutdown with an unsubscribe in flight) would be an unhandled rejection, which ends the
 * process. Here it is a dropped message, which the protocol tolerates.
 */
function quiet(client: Redis, methods: Array<'publish' | 'spublish' | 'psubscribe' | 'subscribe' | 'ssubscribe' | 'punsubscribe' | 'unsubscribe' | 'sunsubscribe'>): Redis {
  const target = client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const m of methods) {
    const original = target[m]!.bind(client);
    target[m] = (...args: unknown[]) => original(...args).catch(() => undefined);
  }
  return client;
}

/**
 * What this node's adapter sent to Redis and got from it, counted at the clients (GET
 * /api/cluster): the cost the sharded adapter and room affinity exist to cut (bench/cluster).
 */
function countMessages(pub: Redis, sub: Redis): { published: number; received: number } {
  const n = { published: 0, received: 0 };
  const target = pub as unknown as Record<'publish' | 'spublish', (...args: unknown[]) => Promise<unknown>>;
  for (const m of ['publish', 'spublish'] as const) {
    const send = target[m].bind(pub);
    target[m] = (...args: unknown[]) => (n.published++, send(...args));
  }
  // The Buffer forms are the ones the adapters listen to; ioredis emits each message once per form.
  for (const ev of ['messageBuffer', 'pmessageBuffer', 'smessageBuffer']) sub.on(ev, () => n.received++);
  return n;
}

function waitReady(client: Redis, ms: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    client.on('ready', onReady);
  });
}

/**
 * Cluster mode: the pieces for {@link createApp} to run as one node of many sharing `redisUrl`
 * (rooms in Redis, the Socket.IO Redis adapter, heartbeats, /readyz checks, GET /api/cluster).
 * The Redis connections open at once and reconnect by themselves; the app's `stop()` closes them.
 */
export function createCluster(config: ClusterConfig, log: Logger, opts: ClusterOptions = {}): Cluster {
  const clog = log.child({ component: 'cluster', node: config.nodeId });
  const incarnation = `${config.nodeId}-${randomBytes(3).toString('hex')}`;
  const base: RedisOptions = {
    connectTimeout: 2_000,
    // On close, a half-open connection (Redis down) is destroyed after this, not the default 2 s
    // that would hold the process open past shutdown.
    disconnectTimeout: 100,
    retryStrategy: (times) => Math.min(100 * times, 1_000),
  };
  // Registry commands: fail fast while disconnected, and never wait long on a stuck server.
  const commands = new Redis(config.redisUrl, { ...base, enableOfflineQueue: false, commandTimeout: 2_000, maxRetriesPerRequest: 1 });
  // Adapter publisher: broadcasts while Redis is down are dropped, not replayed late.
  const pub = quiet(new Redis(config.redisUrl, { ...base, enableOfflineQueue: false }), ['publish', 'spublish']);
  // Adapter subscriber: its (re)subscriptions wait for the connection.
  const sub = quiet(new Redis(config.redisUrl, { ...base, maxRetriesPerRequest: null }), ['psubscribe', 'subscribe', 'ssubscribe', 'punsubscribe', 'unsubscribe', 'sunsubscribe']);
  const redisMessages = countMessages(pub, sub);
  const adapter = config.redisAdapter ?? 'sharded';
  const clients = { commands, pub, sub };
  for (const [name, c] of Object.entries(clients)) watch(c, name, clog);

  const heartbeatMs = Math.max(250, Math.floor(config.nodeTtlMs / 3));
  const reapAfterMs = Math.max(config.nodeTtlMs, config.resumeGraceMs);
  let node: ClusterNode | undefined;

  const notReady = () => {
    for (const [name, c] of Object.entries(clients)) if (c.status !== 'ready') return `redis ${name} connection is ${c.status}`;
    return undefined;
  };
  const registry = new RedisRegistry(commands, {
    node: incarnation,
    prefix: opts.prefix ?? 'sb:',
    notReady,
    async onClose() {
      await node?.stop();
      for (const c of Object.values(clients)) c.disconnect();
    },
  });

  const routes = Router();
  // Node names are host names by default: behind METRICS_TOKEN like /api/stats when it is set.
  routes.get('/api/cluster', requireBearer(config.metricsToken), async (_req, res) => {
    const nodes = await registry.nodes().catch(() => null);
    res.status(nodes ? 200 : 503).json({ node: config.nodeId, incarnation, heartbeatMs, reapAfterMs, adapter, redisMessages, nodes });
  });

  return {
    registry,
    heartbeatMs,
    reapAfterMs,
    node: () => node,
    deps: {
      registry,
      extraRoutes: [routes],
      registerMetrics(registry) {
        new Gauge({
          name: 'switchboard_redis_up',
          help: 'Whether each Redis connection of this cluster node is ready (1) or not (0: connecting, reconnecting, closed)',
          labelNames: ['connection'],
          registers: [registry],
          collect() {
            for (const [name, c] of Object.entries(clients)) this.set({ connection: name }, c.status === 'ready' ? 1 : 0);
          },
        });
      },
      readinessChecks: [
        async () => {
          const down = notReady();
          if (down) return down;
          const pong = await commands.ping().catch((err: Error) => err.message);
          return pong === 'PONG' ? undefined : `redis: ${pong}`;
        },
      ],
      async configureIo(io) {
        const key = `${opts.prefix ?? 'sb:'}io`;
        io.adapter(adapter === 'sharded' ? createShardedAdapter(pub, sub, { channelPrefix: key, subscriptionMode: 'dynamic' }) : createAdapter(pub, sub, { key }));
        const up = await Promise.all(Object.values(clients).map((c) => waitReady(c, READY_WAIT_MS)));
        if (!up.every(Boolean)) clog.warn('redis not reachable yet: starting anyway (not ready until it is)');
        node = new ClusterNode(io, registry, { heartbeatMs, reapAfterMs, roomCapacity: config.roomCapacity, log: clog });
        await node.start();
        clog.info({ incarnation, heartbeatMs, reapAfterMs, adapter }, 'cluster node started');
      },
    },
  };
}
