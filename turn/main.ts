/**
 * `npm run turn`: the relay standalone, configured from the environment (env.ts: the same
 * variables and defaults as the signaling server's relay, without loading the server), logging
 * JSON lines with pino to stdout. With TURN_WORKERS=1 the relay runs in this process (a crash
 * ends it: its supervisor restarts it, as before workers existed); with more, this process runs
 * and supervises that many relay processes (turn/pool.ts: worker i on TURN_PORT + i, each
 * restarted on its own). SIGTERM/SIGINT stop every worker cleanly (exit 0).
 */
import pino from 'pino';
import { ConfigError, loadRelayConfig } from './env.js';
import { startRelayPool } from './pool.js';
import { createRelay } from './relay.js';

const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { svc: 'turn' } });

async function main(): Promise<void> {
  let loaded;
  try {
    loaded = loadRelayConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      log.fatal({ issues: err.issues }, err.message);
      process.exit(1);
    }
    throw err;
  }
  const { config, secretGenerated } = loaded;
  if (secretGenerated) {
    log.warn('TURN_SECRET is not set: a random secret was generated, so no other process can issue credentials for this relay');
  }
  const pool = (config.workers ?? 1) > 1 ? startRelayPool(config, { logger: log }) : undefined;
  const relay = pool ?? createRelay(config, { logger: log });
  relay.on('allocation-created', (e) => log.info(e, 'allocation created'));
  relay.on('allocation-deleted', (e) => log.info(e, 'allocation deleted'));
  const addresses = await relay.start();
  // pid: where SIGHUP goes (npm does not forward it: docs/turn.md, "Renewing the TLS certificate").
  log.info({ pid: process.pid, ...addresses, relayIp: config.relayIp, realm: config.realm, pids: pool?.pids ?? [process.pid] }, 'turn relay started');
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    relay.stop().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  // SIGHUP: load the TLS certificate and key files again (a renewed certificate).
  process.on('SIGHUP', () => {
    log.info({ signal: 'SIGHUP' }, 'reloading the TLS certificate');
    void relay.reloadTls();
  });
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  log.fatal({ err }, 'turn relay failed to start');
  process.exit(1);
});
