/**
 * Allocate (RFC 8656 section 7.2), UDP relayed transport only.
 */
import { randomBytes } from 'node:crypto';
import { Allocation } from '../allocation/allocation.js';
import { TokenBucket } from '../allocation/token-bucket.js';
import { Attr, FAMILY_IPV4, FAMILY_IPV6, TRANSPORT_UDP } from '../stun/constants.js';
import { ErrAddressFamilyNotSupported, ErrAllocationMismatch, ErrAllocationQuotaReached, ErrBadRequest, ErrInsufficientCapacity, ErrUnsupportedTransport, } from '../stun/errors.js';
import { attrValue, getAttr } from '../stun/message.js';
import { reflexiveIp } from '../stun/address.js';
import { desiredLifetime } from './lifetime.js';
import { failure, success } from './respond.js';
/** Steps 2-6 and 8: everything that can be decided before a port is bound. */
function validate(ctx, req) {
    const { msg } = req;
    // 3. REQUESTED-TRANSPORT missing or malformed -> 400; not UDP -> 442 (RFC 6062 TCP is not offered).
    const rt = getAttr(msg, Attr.RequestedTransport);
    if (!rt || rt.length !== 4)
        return ErrBadRequest;
    if (msg.buf[rt.offset] !== TRANSPORT_UDP)
        return ErrUnsupportedTransport;
    // 4. DONT-FRAGMENT: accepted and ignored (Node cannot set DF per datagram).
    // 5/6. RESERVATION-TOKEN excludes EVEN-PORT and REQUESTED-ADDRESS-FAMILY (400).
    const tok = getAttr(msg, Attr.ReservationToken);
    const even = getAttr(msg, Attr.EvenPort);
    const fam = getAttr(msg, Attr.RequestedAddressFamily);
    if (tok && (tok.length !== 8 || even || fam))
        return ErrBadRequest;
    if (even && even.length < 1)
        return ErrBadRequest;
    // REQUESTED-ADDRESS-FAMILY (section 7.2 step 6 / 18.12): only the relay's own family.
    if (fam) {
        if (fam.length !== 4)
            return ErrBadRequest;
        const f = msg.buf[fam.offset];
        const want = ctx.relayFamily === 4 ? FAMILY_IPV4 : FAMILY_IPV6;
        if (f !== want)
            return ErrAddressFamilyNotSupported;
    }
    // ADDITIONAL-ADDRESS-FAMILY (dual allocation) is ignored: one family is allocated.
    // 8. Quotas: per user -> 486; whole server -> 508.
    if (ctx.allocations.userCount(req.username) >= ctx.config.userQuota)
        return ErrAllocationQuotaReached;
    if (ctx.allocations.size + ctx.allocations.pending.size >= ctx.config.totalQuota)
        return ErrInsufficientCapacity;
    return {
        lifetime: desiredLifetime(msg, ctx.config) || ctx.config.defaultLifetime,
        even: even !== undefined,
        reserve: even !== undefined && (msg.buf[even.offset] & 0x80) !== 0,
        token: tok ? attrValue(msg, tok).toString('hex') : undefined,
    };
}
/**
 * Obtain the relay socket: from a reservation, an even port (optionally reserving port + 1 for
 * RESERVATION-TOKEN, section 14.6), or any port.
 */
async function bindRelay(ctx, p) {
    const m = ctx.allocations;
    if (p.token) {
        const r = m.takeReservation(p.token, ctx.opts.now());
        return r ? { bound: r } : null;
    }
    for (let attempt = 0; attempt < 8; attempt++) {
        const bound = await ctx.allocatePort({ even: p.even, inUse: (port) => m.portInUse(port) || (p.reserve && m.portInUse(port + 1)) });
        if (!bound)
            return null;
        m.trackSocket(bound.socket);
        if (!p.reserve)
            return { bound };
        const next = bound.port + 1 > ctx.config.maxPort ? null : await ctx.bindRelayPort(bound.port + 1);
        // Stopped while binding: stop() has already closed what it knew of, and a reservation made
        // now would hold its socket (and the host's event loop) for good. The caller releases `bound`.
        if (!ctx.running) {
            next?.close();
            return { bound };
        }
        if (!next) {
            m.releaseSocket(bound.socket);
            continue;
        }
        m.trackSocket(next);
        const token = randomBytes(8);
        m.reserve(token.toString('hex'), bound.port + 1, next, ctx.opts.now() + ctx.opts.reservationSeconds * 1000);
        return { bound, token };
    }
    return null;
}
export async function handleAllocate(ctx, req) {
    const { conn, msg } = req;
    const m = ctx.allocations;
    // 2. The 5-tuple already has an allocation: a retransmission of the request that created it
    //    gets the same answer; anything else is 437.
    const existing = m.get(conn.key);
    if (existing) {
        if (existing.createTid === msg.tid.toString('hex') && existing.createResponse)
            return existing.createResponse;
        return failure(ctx, req, ErrAllocationMismatch);
    }
    if (m.pending.has(conn.key))
        return null; // retransmission while the first is binding a port
    const p = validate(ctx, req);
    if ('code' in p)
        return failure(ctx, req, p);
    m.pending.add(conn.key);
    let got;
    try {
        got = await bindRelay(ctx, p);
    }
    finally {
        m.pending.delete(conn.key);
    }
    if (!got)
        return failure(ctx, req, ErrInsufficientCapacity);
    const { bound, token } = got;
    // The relay may have stopped, or quotas filled, while the port was being bound.
    const late = !ctx.running
        ? ErrInsufficientCapacity
        : m.userCount(req.username) >= ctx.config.userQuota
            ? ErrAllocationQuotaReached
            : m.size >= ctx.config.totalQuota
                ? ErrInsufficientCapacity
                : m.get(conn.key)
                    ? ErrAllocationMismatch
                    : undefined;
    if (late) {
        m.releaseSocket(bound.socket);
        return ctx.running ? failure(ctx, req, late) : null;
    }
    // A TCP/TLS client that hung up while its port was being bound: its 5-tuple is gone (section
    // 3.1: the allocation lives as long as the connection), and the connection's close has already
    // run and found nothing to delete. An allocation made now would hold a port and count against
    // the quotas until its lifetime ran out.
    if (conn.closed) {
        m.releaseSocket(bound.socket);
        return null;
    }
    const now = ctx.opts.now();
    const a = new Allocation(m, conn, req.username, req.key, bound.port, bound.socket, now + p.lifetime * 1000, ctx.config.maxBps > 0 ? new TokenBucket(ctx.config.maxBps, ctx.opts.now) : null);
    // 9. Success: XOR-RELAYED-ADDRESS, LIFETIME, XOR-MAPPED-ADDRESS (+ RESERVATION-TOKEN).
    const res = success(ctx, req, (b) => {
        b.addXorAddress(Attr.XorRelayedAddress, ctx.relayIp, bound.port);
        b.addUint32(Attr.Lifetime, p.lifetime);
        if (token)
            b.add(Attr.ReservationToken, token);
        b.addXorAddress(Attr.XorMappedAddress, reflexiveIp(conn.ip), conn.port);
    });
    a.createTid = msg.tid.toString('hex');
    a.createResponse = Buffer.allocUnsafeSlow(res.length);
    res.copy(a.createResponse);
    m.add(a);
    return res;
}
//# sourceMappingURL=allocate.js.map