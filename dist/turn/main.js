/**
 * `npm run turn`: the relay standalone, configured from the environment (server/config.ts,
 * loadConfig().relay), logging JSON lines with pino to stdout. SIGTERM/SIGINT stop it cleanly
 * (exit 0).
 */
import pino from 'pino';
import { ConfigError, loadConfig } from '../server/config.js';
import { createRelay } from './relay.js';
const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { svc: 'turn' } });
async function main() {
    let config;
    try {
        config = loadConfig();
    }
    catch (err) {
        if (err instanceof ConfigError) {
            log.fatal({ issues: err.issues }, err.message);
            process.exit(1);
        }
        throw err;
    }
    if (config.turnSecretGenerated) {
        log.warn('TURN_SECRET is not set: a random secret was generated, so no other process can issue credentials for this relay');
    }
    const relay = createRelay(config.relay, { logger: log });
    relay.on('allocation-created', (e) => log.info(e, 'allocation created'));
    relay.on('allocation-deleted', (e) => log.info(e, 'allocation deleted'));
    const addresses = await relay.start();
    log.info({ ...addresses, relayIp: config.relay.relayIp, realm: config.relay.realm }, 'turn relay started');
    let stopping = false;
    const shutdown = (signal) => {
        if (stopping)
            return;
        stopping = true;
        log.info({ signal }, 'stopping');
        relay.stop().then(() => {
            log.info('stopped');
            process.exit(0);
        }, (err) => {
            log.error({ err }, 'stop failed');
            process.exit(1);
        });
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
}
main().catch((err) => {
    log.fatal({ err }, 'turn relay failed to start');
    process.exit(1);
});
//# sourceMappingURL=main.js.map