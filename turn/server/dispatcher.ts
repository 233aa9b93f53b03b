/**
 * Everything a client sends enters here: ChannelData goes to the hot path, STUN messages are
 * decoded, checked (RFC 8489 section 6.3: FINGERPRINT, unknown comprehension-required attributes)
 * and authenticated (section 9.2.4), then handed to one handler per method. Nothing thrown by a
 * handler escapes: the transports call `onPacket`, which catches everything.
 */
import { Class, KNOWN_REQUIRED_ATTRIBUTES, Method } from '../stun/constants.js';
import { ErrBadRequest, ErrUnknownAttribute, ErrWrongCredentials } from '../stun/errors.js';
import { checkFingerprint } from '../stun/integrity.js';
import { decode, type StunMessage } from '../stun/message.js';
import type dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { UdpConn, type ClientConn } from '../transport/conn.js';
import { handleAllocate } from './allocate.js';
import { handleBinding } from './binding.js';
import { handleChannelBind } from './channel-bind.js';
import { handleChannelData } from './channel-data.js';
import type { Request, ServerContext } from './context.js';
import { handleCreatePermission } from './create-permission.js';
import { handleRefresh } from './refresh.js';
import { challenge, failure } from './respond.js';
import { handleSend } from './send.js';
import { TransactionCache } from './transaction-cache.js';

type Handler = (ctx: ServerContext, req: Request) => Buffer | null | Promise<Buffer | null>;

/** Methods that need an allocation-holding, authenticated client (one handler each). */
const AUTHENTICATED: ReadonlyMap<number, Handler> = new Map<number, Handler>([
  [Method.Allocate, handleAllocate],
  [Method.Refresh, handleRefresh],
  [Method.CreatePermission, handleCreatePermission],
  [Method.ChannelBind, handleChannelBind],
]);

function unknownRequired(msg: StunMessage): number[] {
  const out: number[] = [];
  for (const a of msg.attrs) if (a.type < 0x8000 && !KNOWN_REQUIRED_ATTRIBUTES.has(a.type)) out.push(a.type);
  return out;
}

export class Dispatcher {
  readonly cache: TransactionCache;
  /** Exceptions caught from handlers (should stay 0; counted for tests and logs). */
  errors = 0;

  constructor(private readonly ctx: ServerContext) {
    this.cache = new TransactionCache(ctx.opts.transactionCacheMs, ctx.opts.transactionCacheEntries);
  }

  /** One datagram on the client-facing UDP socket. */
  onUdp(socket: dgram.Socket, buf: Buffer, ip: string, port: number): void {
    try {
      const b0 = buf.length ? buf[0]! : 0xff;
      if ((b0 & 0xc0) === 0x40) {
        handleChannelData(this.ctx.allocations.getUdp(ip, port), buf);
        return;
      }
      if ((b0 & 0xc0) !== 0) return;
      const msg = decode(buf);
      if (!msg || !checkFingerprint(msg)) return;
      this.onMessage(msg, this.ctx.allocations.getUdp(ip, port)?.client ?? new UdpConn(socket, ip, port, this.ctx.allocations.sendBound));
    } catch (err) {
      this.fault(err);
    }
  }

  /** One frame (already split by StreamFramer) from a TCP/TLS connection. */
  onStream(buf: Buffer, channel: boolean, conn: ClientConn): void {
    try {
      if (channel) {
        handleChannelData(this.ctx.allocations.get(conn.key), buf);
        return;
      }
      const msg = decode(buf);
      if (!msg || !checkFingerprint(msg)) return;
      this.onMessage(msg, conn);
    } catch (err) {
      this.fault(err);
    }
  }

  private fault(err: unknown): void {
    this.errors++;
    this.ctx.opts.logger.error({ err }, 'turn: handler error');
  }

  private onMessage(msg: StunMessage, conn: ClientConn): void {
    const ctx = this.ctx;
    if (msg.cls === Class.Indication) {
      // RFC 8489 section 7.3.2: an indication with unknown comprehension-required attributes is
      // discarded.
      if (msg.method === Method.Send && unknownRequired(msg).length === 0) handleSend(ctx, msg, conn);
      return;
    }
    if (msg.cls !== Class.Request) return;
    // Allocate is timed from here to its answer (switchboard_turn_allocate_seconds).
    const t0 = msg.method === Method.Allocate ? performance.now() : 0;
    const req: Request = { msg, conn, username: '', key: undefined };
    if (msg.method === Method.Binding) {
      const unknown = unknownRequired(msg);
      conn.send(unknown.length ? failure(ctx, req, ErrUnknownAttribute, (b) => b.addUnknownAttributes(unknown)) : handleBinding(ctx, req));
      return;
    }
    const handler = AUTHENTICATED.get(msg.method);
    if (!handler) {
      conn.send(failure(ctx, req, ErrBadRequest));
      return;
    }
    // A retransmission of an answered request gets the same answer.
    const now = ctx.opts.now();
    const txKey = conn.key + msg.tid.toString('latin1');
    const cached = this.cache.get(txKey, now);
    if (cached) {
      this.reply(conn, msg.method, t0, cached);
      return;
    }
    const auth = ctx.authenticate(msg, conn.ip, msg.method === Method.Allocate);
    if (!auth.ok) {
      ctx.stats.authFailures++;
      // Unauthenticated answers are rate limited per source IP over UDP, where a spoofed source
      // would make the relay a reflector. A TCP/TLS peer has proven its address in the handshake,
      // and a stream client does not retransmit: a dropped answer would hang it for its whole
      // transaction timeout (many clients behind one NAT starting calls at once).
      if (conn.transport === 'udp' && !ctx.unauthorizedLimiter.take(conn.ip)) return;
      this.reply(conn, msg.method, t0, auth.challenge ? challenge(ctx, req, auth.error) : failure(ctx, req, auth.error, undefined, false));
      return;
    }
    req.username = auth.username;
    req.key = auth.key;
    // RFC 8656 section 5: requests on an existing allocation must use its credentials -> 441.
    const existing = ctx.allocations.get(conn.key);
    if (existing && existing.username !== auth.username) {
      this.reply(conn, msg.method, t0, failure(ctx, req, ErrWrongCredentials));
      return;
    }
    // RFC 8489 section 6.3.1: unknown comprehension-required attributes -> 420.
    const unknown = unknownRequired(msg);
    if (unknown.length) {
      this.reply(conn, msg.method, t0, failure(ctx, req, ErrUnknownAttribute, (b) => b.addUnknownAttributes(unknown)));
      return;
    }
    const out = handler(ctx, req);
    if (out instanceof Promise) {
      out.then(
        (res) => this.answer(conn, txKey, msg.method, t0, res),
        (err: unknown) => this.fault(err),
      );
    } else this.answer(conn, txKey, msg.method, t0, out);
  }

  /** Sends an answer to an authenticated method's request; an Allocate's is timed from `t0`. */
  private reply(conn: ClientConn, method: number, t0: number, res: Buffer): void {
    conn.send(res);
    if (method === Method.Allocate) {
      // RFC 8489 section 5: the class is bits C1 (0x0100) and C0 (0x0010) of the message type.
      const error = (res.readUInt16BE(0) & 0x0110) === 0x0110;
      this.ctx.metrics.allocateAnswered(conn.transport, error, (performance.now() - t0) / 1000);
    }
  }

  private answer(conn: ClientConn, txKey: string, method: number, t0: number, res: Buffer | null): void {
    if (!res) return;
    // Only the methods whose repetition would change the outcome are cached: Allocate (a
    // second allocation / 437) and Refresh (437 after LIFETIME 0). CreatePermission and
    // ChannelBind are idempotent, so a retransmission is simply processed again.
    if (method === Method.Allocate || method === Method.Refresh) this.cache.set(txKey, res, this.ctx.opts.now());
    try {
      this.reply(conn, method, t0, res);
    } catch (err) {
      // An async answer (Allocate) may find the listener closed by stop(): never an unhandled
      // rejection.
      if (this.ctx.running) this.fault(err);
    }
  }
}


