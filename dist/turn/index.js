/** The relay's public surface in one import. */
export { createRelay } from './relay.js';
export { startRelayProcess, RelayProcess } from './child.js';
export { restCredentials, restPassword } from './auth/rest.js';
//# sourceMappingURL=index.js.map