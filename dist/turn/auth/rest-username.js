/**
 * The expiry a TURN REST username carries (draft-uberti-behave-turn-rest: `<expiry>:<id>`). No
 * Node imports: the relay checks it at Allocate, and the browser client reads it to know how long
 * its cached credentials stay usable.
 */
/**
 * The expiry (unix seconds) encoded in a REST username, or undefined when the username is not of
 * the REST form. Like coturn, the timestamp is the part before the first ':' (or the whole name).
 */
export function restExpiry(username) {
    const i = username.indexOf(':');
    const ts = i < 0 ? username : username.slice(0, i);
    if (!/^\d{1,12}$/.test(ts))
        return undefined;
    return Number(ts);
}
//# sourceMappingURL=rest-username.js.map