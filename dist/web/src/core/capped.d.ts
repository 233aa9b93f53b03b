/**
 * Lists a long-lived page keeps appending to (chat, departed peers, protocol errors) keep their
 * newest `max` entries: a room left open for days must not grow without bound.
 */
export declare function pushCapped<T>(list: T[], item: T, max: number): void;
/** Entries kept of each list. */
export declare const CHAT_MAX = 1000;
export declare const DEPARTED_MAX = 100;
export declare const PROTOCOL_ERRORS_MAX = 100;
