/** A cluster node's /metrics follows its Redis connections (the RedisUnreachable alert's metric). */
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { createCluster } from '../../server/cluster/index.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import { parsePrometheusText, samples } from '../support/prom-text.js';
import { cleanup, startRedis, waitFor } from './support/services.js';

afterAll(cleanup);

describe('switchboard_redis_up', () => {
  it('is 1 per connection with Redis up, 0 while it is down (the scrape still answering), 1 again after', async () => {
    const redis = await startRedis();
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', TURN_ENABLED: 'false', TURN_URLS: 'turn:127.0.0.1:3478', LOG_LEVEL: 'silent', REDIS_URL: redis.url, NODE_ID: 'redis-metrics-1' });
    const log = createLogger('silent');
    const cluster = createCluster({ ...config, redisUrl: redis.url }, log, { prefix: 'metrics-test:' });
    const app = createApp(config, { log, relayFactory: null, ...cluster.deps });
    const { url } = await app.start();
    const up = async () => {
      const fams = parsePrometheusText(await (await fetch(`${url}/metrics`)).text());
      return samples(fams, 'switchboard_redis_up').map((s) => [s.labels.connection, s.labels.node, s.value].join(' ')).sort();
    };
    try {
      await waitFor('every connection ready', async () => (await up()).every((s) => s.endsWith(' 1')));
      expect(await up()).toEqual(['commands redis-metrics-1 1', 'pub redis-metrics-1 1', 'sub redis-metrics-1 1']);
      await redis.stop();
      await waitFor('every connection down', async () => (await up()).every((s) => s.endsWith(' 0')));
      expect(await up()).toEqual(['commands redis-metrics-1 0', 'pub redis-metrics-1 0', 'sub redis-metrics-1 0']);
      // The scrape still answers; the room counts, which live in Redis, are left out meanwhile.
      const res = await fetch(`${url}/metrics`);
      expect(res.status).toBe(200);
      const down = parsePrometheusText(await res.text());
      expect(samples(down, 'switchboard_rooms')).toEqual([]);
      expect(samples(down, 'process_resident_memory_bytes', { process: 'server' })).toHaveLength(1);
      await redis.start();
      await waitFor('every connection back', async () => (await up()).every((s) => s.endsWith(' 1')), 15_000);
    } finally {
      await app.stop();
    }
  }, 60_000);
});
