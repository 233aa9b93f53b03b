/** The STUN codec in one import. */
export * from './constants.js';
export * from './errors.js';
export * from './address.js';
export * from './message.js';
export * from './integrity.js';
export * from './channel-data.js';
//# sourceMappingURL=index.js.map