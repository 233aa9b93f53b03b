/**
 * SASLprep / OpaqueString (RFC 8265 section 4.2, RFC 8489 section 9.2.2) without the Unicode
 * tables: this server accepts usernames and realms made only of printable ASCII (U+0020..U+007E),
 * for which both profiles are the identity, so the string on the wire is the string hashed.
 * Anything else is rejected (400), never silently normalised differently from a client.
 */
export function isOpaqueStringSafe(s) {
    if (s.length === 0 || s.length > 512)
        return false;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c > 0x7e)
            return false;
    }
    return true;
}
//# sourceMappingURL=saslprep.js.map