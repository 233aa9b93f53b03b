/**
 * Allocate (RFC 8656 section 7.2), UDP relayed transport only; IPv4, IPv6 and dual allocations
 * (REQUESTED-ADDRESS-FAMILY, ADDITIONAL-ADDRESS-FAMILY: sections 7.2, 18.12, 18.14).
 */
import { randomBytes } from 'node:crypto';
import { Allocation, type RelayLeg } from '../allocation/allocation.js';
import { TokenBucket } from '../allocation/token-bucket.js';
import { Attr, FAMILY_IPV4, FAMILY_IPV6, TRANSPORT_UDP } from '../stun/constants.js';
import {
  ErrAddressFamilyNotSupported,
  ErrAllocationMismatch,
  ErrAllocationQuotaReached,
  ErrBadRequest,
  ErrInsufficientCapacity,
  ErrUnsupportedTransport,
  type StunError,
} from '../stun/errors.js';
import { attrValue, getAttr, type StunMessage } from '../stun/message.js';
import { reflexiveIp } from '../stun/address.js';
import type { RelayFamily, Request, ServerContext } from './context.js';
import { desiredLifetime } from './lifetime.js';
import { failure, success } from './respond.js';

interface Parsed {
  lifetime: number;
  even: boolean;
  reserve: boolean;
  token: string | undefined;
  /** Families to allocate, the requested one first. */
  families: Array<4 | 6>;
  /** ADDITIONAL-ADDRESS-FAMILY asked for IPv6 and this relay has none: ADDRESS-ERROR-CODE 440. */
  ipv6Refused: boolean;
}

/** A 4-byte family attribute's family, or null when malformed or neither IPv4 nor IPv6. */
function familyOf(msg: StunMessage, type: number): 4 | 6 | null | undefined {
  const at = getAttr(msg, type);
  if (!at) return undefined;
  if (at.length !== 4) return null;
  const f = msg.buf[at.offset];
  return f === FAMILY_IPV4 ? 4 : f === FAMILY_IPV6 ? 6 : null;
}

/** Steps 2-6 and 8: everything that can be decided before a port is bound. */
function validate(ctx: ServerContext, req: Request): Parsed | StunError {
  const { msg } = req;
  // 3. REQUESTED-TRANSPORT missing or malformed -> 400; not UDP -> 442 (RFC 6062 TCP is not offered).
  const rt = getAttr(msg, Attr.RequestedTransport);
  if (!rt || rt.length !== 4) return ErrBadRequest;
  if (msg.buf[rt.offset] !== TRANSPORT_UDP) return ErrUnsupportedTransport;
  // 4. DONT-FRAGMENT: accepted and ignored (Node cannot set DF per datagram).
  // 5/6. RESERVATION-TOKEN excludes EVEN-PORT and both family attributes (400).
  const tok = getAttr(msg, Attr.ReservationToken);
  const even = getAttr(msg, Attr.EvenPort);
  const requested = familyOf(msg, Attr.RequestedAddressFamily);
  const additional = familyOf(msg, Attr.AdditionalAddressFamily) ?? familyOf(msg, Attr.AdditionalAddressFamilyDraft);
  if (tok && (tok.length !== 8 || even || requested !== undefined || additional !== undefined)) return ErrBadRequest;
  if (even && even.length < 1) return ErrBadRequest;
  // Section 7.2: malformed family values, both attributes at once, or an ADDITIONAL-ADDRESS-FAMILY
  // other than IPv6 -> 400. An unsupported REQUESTED-ADDRESS-FAMILY -> 440.
  if (requested === null || additional === null) return ErrBadRequest;
  if (requested !== undefined && additional !== undefined) return ErrBadRequest;
  if (additional === 4) return ErrBadRequest;
  if (requested !== undefined && !ctx.relays.has(requested)) return ErrAddressFamilyNotSupported;
  const first = requested ?? (additional ? 4 : ctx.defaultFamily);
  if (!ctx.relays.has(first)) return ErrAddressFamilyNotSupported;
  const families: Array<4 | 6> = [first];
  // Dual allocation: IPv4 plus IPv6; without an IPv6 relay address the IPv4 one is still given,
  // with ADDRESS-ERROR-CODE 440 for IPv6 (section 7.2).
  const ipv6Refused = additional === 6 && !ctx.relays.has(6);
  if (additional === 6 && !ipv6Refused) families.push(6);
  // 8. Quotas: per user -> 486; whole server -> 508.
  if (ctx.allocations.userCount(req.username) >= ctx.config.userQuota) return ErrAllocationQuotaReached;
  if (ctx.allocations.size + ctx.allocations.pending.size >= ctx.config.totalQuota) return ErrInsufficientCapacity;
  return {
    lifetime: desiredLifetime(msg, ctx.config) || ctx.config.defaultLifetime,
    even: even !== undefined,
    reserve: even !== undefined && (msg.buf[even.offset]! & 0x80) !== 0,
    token: tok ? attrValue(msg, tok).toString('hex') : undefined,
    families,
    ipv6Refused,
  };
}

/**
 * The first relayed address: from a reservation, an even port (optionally reserving port + 1 for
 * RESERVATION-TOKEN, section 14.6), or any port.
 */
async function bindFirst(ctx: ServerContext, p: Parsed): Promise<{ leg: RelayLeg; token?: Buffer } | null> {
  const m = ctx.allocations;
  if (p.token) {
    const r = m.takeReservation(p.token, ctx.opts.now());
    const rf = r && ctx.relays.get(r.family);
    return r && rf ? { leg: { family: r.family, ip: rf.ip, port: r.port, socket: r.socket } } : null;
  }
  const rf = ctx.relays.get(p.families[0]!)!;
  for (let attempt = 0; attempt < 8; attempt++) {
    const bound = await rf.allocatePort({ even: p.even, inUse: (port) => m.portInUse(port) || (p.reserve && m.portInUse(port + 1)) });
    if (!bound) return null;
    m.trackSocket(bound.socket);
    const leg: RelayLeg = { family: rf.family, ip: rf.ip, port: bound.port, socket: bound.socket };
    if (!p.reserve) return { leg };
    const next = bound.port + 1 > ctx.config.maxPort ? null : await rf.bindPort(bound.port + 1);
    // Stopped while binding: stop() has already closed what it knew of, and a reservation made
    // now would hold its socket (and the host's event loop) for good. The caller releases `leg`.
    if (!ctx.running) {
      next?.close();
      return { leg };
    }
    if (!next) {
      m.releaseSocket(bound.socket);
      continue;
    }
    m.trackSocket(next);
    const token = randomBytes(8);
    m.reserve(token.toString('hex'), bound.port + 1, next, rf.family, ctx.opts.now() + ctx.opts.reservationSeconds * 1000);
    return { leg, token };
  }
  return null;
}

/** The additional (IPv6) relayed address of a dual allocation, on a port no other family uses. */
async function bindAdditional(ctx: ServerContext, rf: RelayFamily, taken: number): Promise<RelayLeg | null> {
  const m = ctx.allocations;
  const bound = await rf.allocatePort({ even: false, inUse: (port) => port === taken || m.portInUse(port) });
  if (!bound) return null;
  m.trackSocket(bound.socket);
  return { family: rf.family, ip: rf.ip, port: bound.port, socket: bound.socket };
}

async function bindLegs(ctx: ServerContext, p: Parsed): Promise<{ legs: RelayLeg[]; token?: Buffer } | null> {
  const first = await bindFirst(ctx, p);
  if (!first) return null;
  const legs = [first.leg];
  for (const f of p.families.slice(1)) {
    const leg = await bindAdditional(ctx, ctx.relays.get(f)!, first.leg.port);
    if (!leg) {
      for (const l of legs) ctx.allocations.releaseSocket(l.socket);
      return null;
    }
    legs.push(leg);
  }
  return { legs, token: first.token };
}

function lateError(ctx: ServerContext, req: Request): StunError | undefined {
  const m = ctx.allocations;
  if (!ctx.running) return ErrInsufficientCapacity;
  if (m.userCount(req.username) >= ctx.config.userQuota) return ErrAllocationQuotaReached;
  if (m.size >= ctx.config.totalQuota) return ErrInsufficientCapacity;
  return m.get(req.conn.key) ? ErrAllocationMismatch : undefined;
}

export async function handleAllocate(ctx: ServerContext, req: Request): Promise<Buffer | null> {
  const { conn, msg } = req;
  const m = ctx.allocations;
  // 2. The 5-tuple already has an allocation: a retransmission of the request that created it
  //    gets the same answer; anything else is 437.
  const existing = m.get(conn.key);
  if (existing) {
    if (existing.createTid === msg.tid.toString('hex') && existing.createResponse) return existing.createResponse;
    return failure(ctx, req, ErrAllocationMismatch);
  }
  if (m.pending.has(conn.key)) return null; // retransmission while the first is binding a port
  const p = validate(ctx, req);
  if ('code' in p) return failure(ctx, req, p);
  m.pending.add(conn.key);
  let got: Awaited<ReturnType<typeof bindLegs>>;
  try {
    got = await bindLegs(ctx, p);
  } finally {
    m.pending.delete(conn.key);
  }
  if (!got) return failure(ctx, req, ErrInsufficientCapacity);
  const { legs, token } = got;
  const release = (): void => legs.forEach((l) => m.releaseSocket(l.socket));
  // The relay may have stopped, or quotas filled, while the port was being bound.
  const late = lateError(ctx, req);
  if (late) {
    release();
    return ctx.running ? failure(ctx, req, late) : null;
  }
  // A TCP/TLS client that hung up while its port was being bound: its 5-tuple is gone (section
  // 3.1: the allocation lives as long as the connection), and the connection's close has already
  // run and found nothing to delete. An allocation made now would hold a port and count against
  // the quotas until its lifetime ran out.
  if (conn.closed) {
    release();
    return null;
  }
  const now = ctx.opts.now();
  const bucket = ctx.config.maxBps > 0 ? new TokenBucket(ctx.config.maxBps, ctx.opts.now) : null;
  const a = new Allocation(m, conn, req.username, req.key!, legs, now + p.lifetime * 1000, bucket);
  // 9. Success: XOR-RELAYED-ADDRESS (one per family), LIFETIME, XOR-MAPPED-ADDRESS (+ RESERVATION-TOKEN,
  //    + ADDRESS-ERROR-CODE for a refused additional family).
  const res = success(ctx, req, (b) => {
    for (const l of legs) b.addXorAddress(Attr.XorRelayedAddress, l.ip, l.port);
    if (p.ipv6Refused) b.addAddressError(FAMILY_IPV6, ErrAddressFamilyNotSupported);
    b.addUint32(Attr.Lifetime, p.lifetime);
    if (token) b.add(Attr.ReservationToken, token);
    b.addXorAddress(Attr.XorMappedAddress, reflexiveIp(conn.ip), conn.port);
  });
  a.createTid = msg.tid.toString('hex');
  a.createResponse = Buffer.allocUnsafeSlow(res.length);
  res.copy(a.createResponse);
  m.add(a);
  return res;
}
