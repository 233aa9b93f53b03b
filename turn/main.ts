/**
 * `npm run turn`: the relay standalone, configured from the environment (env.ts: the same
 * variables and defaults as the signaling server's relay, without loading the server), logging
 * JSON lines with pino to stdout. SIGTERM/SIGINT stop it cleanly (exit 0).
 */
import pino from 'pino';
import { ConfigError, loadRelayConfig } from './env.js';
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
  const relay = createRelay(config, { logger: log });
  relay.on('allocation-created', (e) => log.info(e, 'allocation created'));
  relay.on('allocation-deleted', (e) => log.info(e, 'allocation deleted'));
  const addresses = await relay.start();
  log.info({ ...addresses, relayIp: config.relayIp, realm: config.realm }, 'turn relay started');
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
