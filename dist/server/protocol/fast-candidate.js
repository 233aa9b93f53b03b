/**
 * A pre-check for the hottest payload of the protocol: `signal` carrying one ICE candidate (every
 * call sends dozens). `signalRequest` (zod) stays the validator of record; this only recognises,
 * in place, payloads that schema certainly accepts, so they skip zod's parse and the copy it
 * makes of every object (measured: about 3.5 us and a share of GC per message, of ~60 in all).
 * Anything else, valid or not, falls through to zod, which also writes the error messages.
 * test/signaling/fast-candidate.test.ts checks "fast accepts => zod accepts" on a fuzzed corpus.
 */
import { isPlainObject as plain } from './plain-object.js';
import { CANDIDATE_MAX, PEER_ID_PATTERN } from './schemas.js';
/** Every own key of `o` is in `allowed` (zod's strictObject rejects unknown keys). */
function onlyKeys(o, allowed) {
    for (const k in o)
        if (!allowed.has(k))
            return false;
    return true;
}
const optString = (v, max) => v === undefined || v === null || (typeof v === 'string' && v.length <= max);
const SIGNAL_KEYS = new Set(['to', 'data']);
const DATA_KEYS = new Set(['type', 'candidate']);
const CANDIDATE_KEYS = new Set(['candidate', 'sdpMid', 'sdpMLineIndex', 'usernameFragment']);
/** True only for `{ to, data: { type: 'candidate', candidate: {...} } }` that `signalRequest` accepts. */
export function isPlainCandidateSignal(v) {
    if (!plain(v) || !onlyKeys(v, SIGNAL_KEYS))
        return false;
    if (typeof v.to !== 'string' || !PEER_ID_PATTERN.test(v.to))
        return false;
    const d = v.data;
    if (!plain(d) || !onlyKeys(d, DATA_KEYS) || d.type !== 'candidate')
        return false;
    const c = d.candidate;
    if (!plain(c) || !onlyKeys(c, CANDIDATE_KEYS))
        return false;
    if (typeof c.candidate !== 'string' || c.candidate.length > CANDIDATE_MAX.candidate)
        return false;
    const i = c.sdpMLineIndex;
    if (!(i === undefined || i === null || (Number.isInteger(i) && i >= 0 && i <= CANDIDATE_MAX.sdpMLineIndex)))
        return false;
    return optString(c.sdpMid, CANDIDATE_MAX.sdpMid) && optString(c.usernameFragment, CANDIDATE_MAX.usernameFragment);
}
//# sourceMappingURL=fast-candidate.js.map