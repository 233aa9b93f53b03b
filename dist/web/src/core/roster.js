/**
 * After a (re)join: the newcomer initiates to every listed peer, unless a working connection
 * survived the reconnect; peers no longer listed are forgotten unless their connection still works
 * (they may not have rejoined a restarted server yet).
 */
export function planJoin(selfId, listed, known) {
    const ids = new Set(listed.map((p) => p.id).filter((id) => id !== selfId));
    const initiate = [...ids].filter((id) => {
        const k = known.get(id);
        return !k || (!k.link?.healthy && !k.pending);
    });
    const forget = [...known.entries()].filter(([id, k]) => !ids.has(id) && !k.link?.healthy).map(([id]) => id);
    return { initiate, forget };
}
/**
 * An offer from `from`: the same remote session renegotiates the current connection; a new session
 * is a fresh connection from the initiator (replace ours). If both sides offered at once (glare,
 * e.g. both rejoined at the same time), the lower peer id keeps the initiator role.
 */
export function offerAction(link, session, selfId, from) {
    if (link?.live && link.remoteSession !== null && link.remoteSession === session)
        return 'renegotiate';
    if (link?.live && link.initiator && link.remoteSession === null && selfId < from)
        return 'ignore';
    return 'replace';
}
//# sourceMappingURL=roster.js.map