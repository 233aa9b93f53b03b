/** The Switchboard signaling server as a benchmark target: prints {"port"} when listening. */
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/log.js';

const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  TURN_ENABLED: 'false',
  TURN_URLS: 'turn:127.0.0.1:3478',
  TURN_SECRET: 'bench-secret-0123456789',
  MAX_CONNECTIONS_PER_IP: '0',
  RATE_LIMIT_BURST: '100000',
  RATE_LIMIT_PER_SECOND: '100000',
  ROOM_CAPACITY: '8',
  LOG_LEVEL: 'silent',
});
const app = createApp(config, { log: createLogger('silent'), relayFactory: null });
const { port } = await app.start();
process.stdout.write(JSON.stringify({ port, pid: process.pid }) + '\n');
// {gc:true} over IPC: collect garbage, then report memory (for the connections benchmark).
process.on('message', (m: { gc?: boolean }) => {
  if (m.gc === undefined) return; // another listener's message (bench/signaling/observed-server.ts)
  if (m.gc) (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  process.stdout.write(JSON.stringify({ rss: mem.rss, heapUsed: mem.heapUsed, sockets: app.io.engine.clientsCount }) + '\n');
});
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
