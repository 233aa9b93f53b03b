import { startRelayProcess } from '../turn/child.js';
// The relay process logs its own exits and restarts through `logger`.
export const isolatedRelay = async (config, log) => startRelayProcess(config, { logger: log });
//# sourceMappingURL=relay-factory.js.map