/**
 * A small TURN client (RFC 8656) over UDP, TCP or TLS, used by the tests and the benchmark.
 *
 * API
 * ```ts
 * import { TurnClient, TurnError } from './turn/client/index.js';
 *
 * const c = await TurnClient.connect({
 *   transport: 'udp',            // 'udp' | 'tcp' | 'tls' (default 'udp')
 *   host: '127.0.0.1', port: 3478,
 *   username, password,          // long-term credentials (REST: `${expiry}:${id}` + base64 HMAC)
 *   tls: { rejectUnauthorized: false },  // tls.connect options for 'tls'
 *   rto: 200, maxRetransmits: 6, // UDP retransmission (RFC 8489 section 6.2.1), doubling each time
 *   timeout: 5000,               // TCP/TLS request timeout (ms)
 *   localAddress: '127.0.0.1',   // bind / connect from this address
 *   fingerprint: true,           // FINGERPRINT on requests
 *   sha256: false,               // MESSAGE-INTEGRITY-SHA256 instead of MESSAGE-INTEGRITY
 * });
 * c.local;                                         // { address, port } of the client socket
 * await c.binding();                               // -> { family, address, port } (XOR-MAPPED-ADDRESS)
 * const a = await c.allocate({ lifetime: 600 });   // -> { relayed, mapped, lifetime, reservationToken? }
 * await c.refresh(600);                            // -> granted lifetime; refresh(0) deletes
 * await c.createPermission('203.0.113.5', ...);    // one CreatePermission with every address
 * const ch = await c.channelBind({ address, port });  // -> channel number (0x4000 + n by default)
 * c.sendIndication({ address, port }, data);       // Send indication
 * c.sendChannelData(ch, data);                     // ChannelData (padded over TCP/TLS)
 * c.send({ address, port }, data);                 // ChannelData when bound, else Send indication
 * c.on('data', (data, peer, channel) => { ... });  // Data indications and ChannelData from the relay
 * await c.request(Method.X, (b) => b.add(...), { auth: true });  // any request; TurnError on error
 * c.sendRaw(buf);  c.on('message', (msg) => ...)   // raw access for tests
 * const buf = c.buildRequest(Method.X, fill, auth); await c.rawRequest(buf);  // prebuilt (retransmit tests)
 * await c.close();
 * restCredentials(secret, id, ttlSeconds) -> { username, password }  // also exported here
 * ```
 * Errors: requests reject with `TurnError` (`.code`, `.reason`, `.response`) on an error response,
 * or `TurnError` with code 0 on timeout / closed connection. The 401 challenge and 438 stale nonce
 * are handled inside `request` (one retry each).
 */
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import {
  Attr,
  Class,
  FAMILY_IPV4,
  FAMILY_IPV6,
  MessageBuilder,
  Method,
  TRANSPORT_UDP,
  checkIntegrity,
  decode,
  decodeAddress,
  encodeChannelData,
  getAttr,
  getErrorCode,
  getString,
  getUint32,
  getXorAddress,
  longTermKey,
  looksLikeChannelData,
  type StunMessage,
  type TransportAddress,
} from '../stun/index.js';
import { StreamFramer } from '../transport/framer.js';
import { ipLiteralLookup } from '../transport/udp-socket.js';

export type ClientTransport = 'udp' | 'tcp' | 'tls';

export interface TurnClientOptions {
  transport?: ClientTransport;
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** Extra tls.connect options (e.g. `{ rejectUnauthorized: false }` or `{ ca }`). */
  tls?: tls.ConnectionOptions;
  /** UDP: first retransmission timeout in ms (doubles each time). Default 200. */
  rto?: number;
  /** UDP: retransmissions before giving up. Default 6. */
  maxRetransmits?: number;
  /** TCP/TLS: request timeout in ms. Default 5000. */
  timeout?: number;
  /** Local address to bind (UDP) or connect from (TCP). */
  localAddress?: string;
  /** Add FINGERPRINT to requests. Default true. */
  fingerprint?: boolean;
  /** Protect requests with MESSAGE-INTEGRITY-SHA256 instead of MESSAGE-INTEGRITY. Default false. */
  sha256?: boolean;
}

export interface PeerAddress {
  address: string;
  port: number;
}

export interface AllocateOptions {
  lifetime?: number;
  /** REQUESTED-TRANSPORT protocol number; default 17 (UDP). */
  transport?: number;
  /** REQUESTED-ADDRESS-FAMILY (4 or 6). Omitted by default. */
  family?: 4 | 6;
  /** ADDITIONAL-ADDRESS-FAMILY (RFC 8656 section 7.2: a dual allocation; 6 is the only valid value). */
  additionalFamily?: 4 | 6;
  /** EVEN-PORT; `reserve` sets the R bit (ask for the next port to be reserved). */
  evenPort?: { reserve: boolean };
  reservationToken?: Buffer;
  dontFragment?: boolean;
}

export interface AllocateResult {
  relayed: TransportAddress;
  /** Every XOR-RELAYED-ADDRESS, in order (two for a dual allocation). */
  relayedAll: TransportAddress[];
  /** ADDRESS-ERROR-CODE: the family the server refused to add, and why. */
  addressError?: { family: 4 | 6; code: number } | undefined;
  mapped: TransportAddress | undefined;
  lifetime: number;
  reservationToken?: Buffer | undefined;
}

export interface RequestOptions {
  /** Add long-term credentials (default true except for Binding). */
  auth?: boolean;
}

export class TurnError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    readonly response?: StunMessage,
  ) {
    super(code ? `TURN error ${code} ${reason}` : reason);
    this.name = 'TurnError';
  }
}

interface Pending {
  resolve: (m: StunMessage) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export interface TurnClientEvents {
  data: [data: Buffer, peer: PeerAddress, channel: number | undefined];
  /** Every STUN message received that is not a Data indication (responses included). */
  message: [msg: StunMessage];
  close: [];
  error: [err: Error];
}

export class TurnClient extends EventEmitter<TurnClientEvents> {
  readonly transport: ClientTransport;
  private udp?: dgram.Socket;
  private stream?: net.Socket;
  private readonly pending = new Map<string, Pending>();
  private realm?: string;
  private nonce?: string;
  private key?: Buffer;
  private readonly channels = new Map<number, PeerAddress>();
  private readonly channelByPeer = new Map<string, number>();
  private nextChannel = 0x4000;
  private closed = false;
  /** The client's local transport address. */
  local: PeerAddress = { address: '', port: 0 };

  private constructor(readonly opts: TurnClientOptions) {
    super();
    this.transport = opts.transport ?? 'udp';
  }

  static async connect(opts: TurnClientOptions): Promise<TurnClient> {
    const c = new TurnClient(opts);
    await c.open();
    return c;
  }

  private async open(): Promise<void> {
    const { host, port } = this.opts;
    if (this.transport === 'udp') {
      const s = dgram.createSocket({ type: net.isIPv6(host) ? 'udp6' : 'udp4', lookup: ipLiteralLookup });
      this.udp = s;
      s.on('message', (m) => this.onPacket(m));
      s.on('error', (e) => this.emit('error', e));
      await new Promise<void>((res, rej) => {
        s.once('error', rej);
        s.bind({ port: 0, address: this.opts.localAddress }, () => {
          s.off('error', rej);
          res();
        });
      });
      const a = s.address();
      this.local = { address: a.address, port: a.port };
      return;
    }
    const framer = new StreamFramer((frame) => this.onPacket(frame));
    const sock =
      this.transport === 'tls'
        ? tls.connect({ host, port, ...this.opts.tls })
        : net.connect({ host, port, localAddress: this.opts.localAddress });
    this.stream = sock;
    sock.setNoDelay(true);
    sock.on('data', (d: Buffer) => {
      if (!framer.push(d)) sock.destroy(new Error('garbage from server'));
    });
    sock.on('close', () => this.onClose());
    sock.on('error', (e) => this.emit('error', e));
    await new Promise<void>((res, rej) => {
      sock.once('error', rej);
      sock.once(this.transport === 'tls' ? 'secureConnect' : 'connect', () => {
        sock.off('error', rej);
        res();
      });
    });
    this.local = { address: sock.localAddress ?? '', port: sock.localPort ?? 0 };
  }

  private onClose(): void {
    this.closed = true;
    for (const [k, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new TurnError(0, 'connection closed'));
      this.pending.delete(k);
    }
    this.emit('close');
  }

  private onPacket(m: Buffer): void {
    if (looksLikeChannelData(m)) {
      const ch = m.readUInt16BE(0);
      const len = m.readUInt16BE(2);
      const peer = this.channels.get(ch);
      if (!peer || 4 + len > m.length) return;
      this.emit('data', m.subarray(4, 4 + len), peer, ch);
      return;
    }
    const msg = decode(m);
    if (!msg) return;
    if (msg.method === Method.Data && msg.cls === Class.Indication) {
      const peer = getXorAddress(msg, Attr.XorPeerAddress);
      const d = getAttr(msg, Attr.Data);
      if (peer && d) this.emit('data', m.subarray(d.offset, d.offset + d.length), peer, undefined);
      return;
    }
    this.emit('message', msg);
    if (msg.cls === Class.Success || msg.cls === Class.Error) {
      const k = msg.tid.toString('hex');
      const p = this.pending.get(k);
      if (p) {
        this.pending.delete(k);
        clearTimeout(p.timer);
        p.resolve(msg);
      }
    }
  }

  /** Send bytes to the server as they are (ChannelData or STUN; no framing added). */
  sendRaw(buf: Buffer): void {
    if (this.closed) return;
    if (this.udp) this.udp.send(buf, this.opts.port, this.opts.host);
    else this.stream?.write(buf);
  }

  /**
   * Send a prebuilt request and wait for the response with the same transaction id. UDP requests
   * are retransmitted (RFC 8489 section 6.2.1). Resolves with the response (success or error).
   */
  rawRequest(buf: Buffer): Promise<StunMessage> {
    const k = buf.subarray(8, 20).toString('hex');
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new TurnError(0, 'connection closed'));
      const udp = this.udp !== undefined;
      let rto = udp ? this.opts.rto ?? 200 : this.opts.timeout ?? 5000;
      let left = udp ? this.opts.maxRetransmits ?? 6 : 0;
      const fire = (): void => {
        if (left-- > 0 && !this.closed) {
          this.sendRaw(buf);
          rto *= 2;
          p.timer = setTimeout(fire, rto);
          return;
        }
        this.pending.delete(k);
        reject(new TurnError(0, 'request timed out'));
      };
      const p: Pending = { resolve, reject, timer: setTimeout(fire, rto) };
      this.pending.set(k, p);
      this.sendRaw(buf);
    });
  }

  /** Build a request with this client's credentials (when known) and FINGERPRINT. */
  buildRequest(method: number, fill?: (b: MessageBuilder) => void, auth = true): Buffer {
    const b = new MessageBuilder(method, Class.Request);
    fill?.(b);
    let key: Buffer | undefined;
    if (auth && this.nonce !== undefined && this.realm !== undefined && this.opts.username !== undefined) {
      b.addString(Attr.Username, this.opts.username);
      b.addString(Attr.Realm, this.realm);
      b.addString(Attr.Nonce, this.nonce);
      key = this.key;
    }
    return b.build({ key, fingerprint: this.opts.fingerprint ?? true, sha256: this.opts.sha256 ?? false });
  }

  /**
   * Send a request; answers 401 (first challenge) and 438 (stale nonce) by retrying once with the
   * new REALM/NONCE. Resolves with the success response, rejects with TurnError otherwise.
   */
  async request(method: number, fill?: (b: MessageBuilder) => void, opts: RequestOptions = {}): Promise<StunMessage> {
    const auth = opts.auth ?? method !== Method.Binding;
    for (let attempt = 0; ; attempt++) {
      const res = await this.rawRequest(this.buildRequest(method, fill, auth));
      if (res.cls === Class.Success) {
        const protectedRes = getAttr(res, Attr.MessageIntegrity) ?? getAttr(res, Attr.MessageIntegritySha256);
        if (auth && this.key && protectedRes && !checkIntegrity(res, this.key)) {
          throw new TurnError(0, 'response integrity check failed', res);
        }
        return res;
      }
      const err = getErrorCode(res) ?? { code: 0, reason: 'error response without ERROR-CODE' };
      const realm = getString(res, Attr.Realm);
      const nonce = getString(res, Attr.Nonce);
      const retry = auth && attempt < 2 && (err.code === 401 || err.code === 438) && nonce !== undefined;
      if (retry && (err.code === 438 || this.nonce === undefined || realm !== this.realm)) {
        this.nonce = nonce;
        if (realm !== undefined) this.realm = realm;
        if (this.opts.username === undefined || this.opts.password === undefined || this.realm === undefined) {
          throw new TurnError(err.code, err.reason, res);
        }
        this.key = longTermKey(this.opts.username, this.realm, this.opts.password);
        continue;
      }
      throw new TurnError(err.code, err.reason, res);
    }
  }

  async binding(): Promise<TransportAddress> {
    const res = await this.request(Method.Binding);
    const a = getXorAddress(res, Attr.XorMappedAddress);
    if (!a) throw new TurnError(0, 'no XOR-MAPPED-ADDRESS', res);
    return a;
  }

  async allocate(o: AllocateOptions = {}): Promise<AllocateResult> {
    const res = await this.request(Method.Allocate, (b) => {
      b.addByte(Attr.RequestedTransport, o.transport ?? TRANSPORT_UDP);
      if (o.lifetime !== undefined) b.addUint32(Attr.Lifetime, o.lifetime);
      if (o.family) b.addByte(Attr.RequestedAddressFamily, o.family === 6 ? FAMILY_IPV6 : FAMILY_IPV4);
      if (o.additionalFamily) b.addByte(Attr.AdditionalAddressFamily, o.additionalFamily === 6 ? FAMILY_IPV6 : FAMILY_IPV4);
      if (o.evenPort) b.add(Attr.EvenPort, Buffer.from([o.evenPort.reserve ? 0x80 : 0]));
      if (o.reservationToken) b.add(Attr.ReservationToken, o.reservationToken);
      if (o.dontFragment) b.add(Attr.DontFragment, Buffer.alloc(0));
    });
    const relayed = getXorAddress(res, Attr.XorRelayedAddress);
    if (!relayed) throw new TurnError(0, 'no XOR-RELAYED-ADDRESS', res);
    const tok = getAttr(res, Attr.ReservationToken);
    const relayedAll = res.attrs
      .filter((a) => a.type === Attr.XorRelayedAddress)
      .map((a) => decodeAddress(res.buf, a.offset, a.length, res.tid))
      .filter((a): a is TransportAddress => a !== null);
    const ae = getAttr(res, Attr.AddressErrorCode);
    const addressError = ae && ae.length >= 4 ? { family: res.buf[ae.offset] === FAMILY_IPV6 ? (6 as const) : (4 as const), code: res.buf[ae.offset + 2]! * 100 + res.buf[ae.offset + 3]! } : undefined;
    return {
      relayed,
      relayedAll,
      addressError,
      mapped: getXorAddress(res, Attr.XorMappedAddress) ?? undefined,
      lifetime: getUint32(res, Attr.Lifetime) ?? 0,
      reservationToken: tok ? Buffer.from(res.buf.subarray(tok.offset, tok.offset + tok.length)) : undefined,
    };
  }

  async refresh(lifetime?: number, family?: 4 | 6): Promise<number> {
    const res = await this.request(Method.Refresh, (b) => {
      if (lifetime !== undefined) b.addUint32(Attr.Lifetime, lifetime);
      if (family) b.addByte(Attr.RequestedAddressFamily, family === 6 ? FAMILY_IPV6 : FAMILY_IPV4);
    });
    return getUint32(res, Attr.Lifetime) ?? 0;
  }

  async createPermission(...peers: string[]): Promise<void> {
    await this.request(Method.CreatePermission, (b) => {
      for (const p of peers) b.addXorAddress(Attr.XorPeerAddress, p, 0);
    });
  }

  async channelBind(peer: PeerAddress, channel?: number): Promise<number> {
    const key = `${peer.address}:${peer.port}`;
    const ch = channel ?? this.channelByPeer.get(key) ?? this.nextChannel++;
    await this.request(Method.ChannelBind, (b) => {
      b.addUint32(Attr.ChannelNumber, ch << 16);
      b.addXorAddress(Attr.XorPeerAddress, peer.address, peer.port);
    });
    this.channels.set(ch, { address: peer.address, port: peer.port });
    this.channelByPeer.set(key, ch);
    return ch;
  }

  sendIndication(peer: PeerAddress, data: Buffer): void {
    const b = new MessageBuilder(Method.Send, Class.Indication);
    b.addXorAddress(Attr.XorPeerAddress, peer.address, peer.port);
    b.add(Attr.Data, data);
    this.sendRaw(b.build());
  }

  sendChannelData(channel: number, data: Buffer): void {
    this.sendRaw(encodeChannelData(channel, data, this.transport !== 'udp'));
  }

  send(peer: PeerAddress, data: Buffer): void {
    const ch = this.channelByPeer.get(`${peer.address}:${peer.port}`);
    if (ch !== undefined) this.sendChannelData(ch, data);
    else this.sendIndication(peer, data);
  }

  /** Close the socket; pending requests reject. Idempotent. */
  async close(): Promise<void> {
    if (this.udp) {
      const s = this.udp;
      this.udp = undefined;
      await new Promise<void>((r) => s.close(() => r()));
      this.onClose();
    } else if (this.stream && !this.stream.destroyed) {
      const s = this.stream;
      await new Promise<void>((r) => {
        s.once('close', () => r());
        s.destroy();
      });
    }
  }
}

export { longTermKey } from '../stun/integrity.js';
export { restCredentials } from '../auth/rest.js';
