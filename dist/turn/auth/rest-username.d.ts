/**
 * The expiry a TURN REST username carries (draft-uberti-behave-turn-rest: `<expiry>:<id>`). No
 * Node imports: the relay checks it at Allocate, and the browser client reads it to know how long
 * its cached credentials stay usable.
 */
/**
 * The expiry (unix seconds) encoded in a REST username, or undefined when the username is not of
 * the REST form. Like coturn, the timestamp is the part before the first ':' (or the whole name).
 */
export declare function restExpiry(username: string): number | undefined;
