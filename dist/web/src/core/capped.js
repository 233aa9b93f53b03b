/**
 * Lists a long-lived page keeps appending to (chat, departed peers, protocol errors) keep their
 * newest `max` entries: a room left open for days must not grow without bound.
 */
export function pushCapped(list, item, max) {
    list.push(item);
    if (list.length > max)
        list.splice(0, list.length - max);
}
/** Entries kept of each list. */
export const CHAT_MAX = 1000;
export const DEPARTED_MAX = 100;
export const PROTOCOL_ERRORS_MAX = 100;
//# sourceMappingURL=capped.js.map