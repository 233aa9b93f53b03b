/** `npm start`: signaling, the web app and the embedded relay, from environment configuration. */
import { createApp } from './app.js';
import { createCluster } from './cluster/index.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';

function fatal(message: string): never {
  process.stderr.write(`switchboard: ${message}\n`);
  process.exit(1);
}

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) fatal(err.message);
  throw err;
}

const log = createLogger(config.logLevel);
if (config.turnSecretGenerated) {
  log.warn('TURN_SECRET is not set: using a random secret for this run (set it to share credentials with other relays)');
}
// REDIS_URL: one node of a cluster (rooms in Redis, the Socket.IO Redis adapter); else in-memory.
const cluster = config.redisUrl ? createCluster({ ...config, redisUrl: config.redisUrl }, log) : undefined;
if (cluster && config.sessionSecretGenerated) {
  log.warn('REDIS_URL is set but SESSION_SECRET is not: peers cannot resume on another node (set the same SESSION_SECRET on every node)');
}
if (cluster && !config.turnUrls) {
  log.warn('REDIS_URL is set but TURN_URLS is not: each node hands out its own relay, so two sides of a call may use different relays (list every relay in TURN_URLS)');
}
const app = createApp(config, { log, ...cluster?.deps });

// SIGHUP: the relay loads its TLS certificate and key files again (a renewed certificate).
// Installed before start, so a SIGHUP while starting does not end the process (Node's default).
// It must be sent to this process (the `pid` of the 'listening' line): npm forwards only SIGINT
// and SIGTERM to its script, and a SIGHUP sent to npm ends npm and leaves this server orphaned.
process.on('SIGHUP', () => {
  log.info({ signal: 'SIGHUP' }, 'reloading the relay TLS certificate');
  void app.relay()?.reloadTls?.().catch((err: unknown) => log.error({ err }, 'relay TLS reload failed'));
});

try {
  const started = await app.start();
  log.info({ pid: process.pid, host: started.host, port: started.port, url: started.url, turn: started.relay }, 'listening');
} catch (err) {
  log.fatal({ err }, 'failed to start');
  await app.stop().catch(() => undefined);
  process.exit(1);
}

let signals = 0;
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    if (++signals > 1) process.exit(1); // a second signal: stop waiting
    log.info({ signal: sig }, 'shutting down');
    // Everything is closed by stop(); the process then exits by itself. The timer is a safety
    // net that reports what was left open instead of hanging forever.
    app.stop().then(
      () => {
        setTimeout(() => {
          log.error({ handles: process.getActiveResourcesInfo() }, 'still open after stop: forcing exit');
          process.exit(0);
        }, 2_000).unref();
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
