/**
 * RFC 8656 section 7.2 step 7 / section 7.3: desired lifetime = min(requested, max); if that is not
 * above the default, the default. LIFETIME 0 (Refresh only) means delete.
 */
import { Attr } from '../stun/constants.js';
import { getUint32 } from '../stun/message.js';
export function desiredLifetime(msg, config) {
    const requested = getUint32(msg, Attr.Lifetime);
    if (requested === undefined)
        return config.defaultLifetime;
    if (requested === 0)
        return 0;
    const v = Math.min(requested, config.maxLifetime);
    return v > config.defaultLifetime ? v : config.defaultLifetime;
}
//# sourceMappingURL=lifetime.js.map