/**
 * Rendezvous (highest-random-weight) hashing: every room goes to the relay with the highest
 * hash(room, relay). Both sides of a call compute the same choice, and adding or removing one of
 * N relays moves only the rooms whose winner changed: about 1/N of them.
 */
import { createHash } from 'node:crypto';
function score(key, node) {
    // 64 bits of SHA-256: uniform enough for placement, and stable across processes and versions.
    return createHash('sha256').update(node).update('\u0000').update(key).digest().readBigUInt64BE(0);
}
export function rendezvousPick(key, nodes, id) {
    let best;
    let bestScore = -1n;
    for (const n of nodes) {
        const s = score(key, id(n));
        if (s > bestScore) {
            best = n;
            bestScore = s;
        }
    }
    return best;
}
//# sourceMappingURL=rendezvous.js.map