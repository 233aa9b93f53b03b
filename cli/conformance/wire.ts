/**
 * The conformance check's own peer, written against the protocol document rather than the SDK, so
 * that it sees every message a client under test sends as sent: a Socket.IO connection that joins
 * the room, a werift RTCPeerConnection (node/werift-rtc.ts) and its one data channel. It records
 * what arrives (signals and channel messages, with their arrival time) for the checks to read.
 */
import { io, type Socket } from 'socket.io-client';
import { createWeriftRtc, onlyAddress, type WeriftRTCDataChannel, type WeriftRTCPeerConnection } from '../../node/werift-rtc.js';
import { type ClientToServerEvents, type JoinAck, PROTOCOL_VERSION, type ServerToClientEvents, type SignalData } from '../../server/protocol/index.js';
import type { PeerArgs } from '../args.js';
import { CliError } from '../peer.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
type Joined = Extract<JoinAck, { ok: true }>;

/** Things that arrive, kept in order, with a bounded wait for the next one that matches. */
export class Inbox<T> {
  readonly items: Array<{ at: number; value: T }> = [];
  readonly #waiters = new Set<() => void>();

  push(value: T): void {
    this.items.push({ at: Date.now(), value });
    for (const w of [...this.#waiters]) w();
  }

  /** The first item from index `from` on that `match` accepts, waiting up to `ms`; undefined after. */
  next(match: (v: T) => boolean, ms: number, from = 0): Promise<{ at: number; value: T; index: number } | undefined> {
    return new Promise((resolve) => {
      let i = from;
      const scan = () => {
        for (; i < this.items.length; i++) {
          if (match(this.items[i]!.value)) return { ...this.items[i]!, index: i };
        }
        return undefined;
      };
      const done = (r: { at: number; value: T; index: number } | undefined) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(r);
      };
      const check = () => {
        const r = scan();
        if (r) done(r);
      };
      const timer = setTimeout(() => done(undefined), ms);
      this.#waiters.add(check);
      check();
    });
  }
}

/** A bounded wait for a Socket.IO event or connection. */
function connect(a: PeerArgs): Promise<Client> {
  // `room` in the URL, as the SDK does: a cluster's load balancer sends a room to one node.
  const socket: Client = io(a.server, { path: a.path ?? '/socket.io', query: { room: a.room }, transports: ['websocket', 'polling'], reconnection: false, forceNew: true, timeout: a.waitMs });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.disconnect();
      reject(new CliError(`could not reach the server at ${a.server}: ${err.message}`));
    });
  });
}

export class Wire {
  readonly signals = new Inbox<SignalData>();
  readonly messages = new Inbox<string | Uint8Array>();
  /** Every change of the channel's and the connection's states, as `channel:closed`, `pc:failed`. */
  readonly states: string[] = [];
  channel: WeriftRTCDataChannel | undefined;
  readonly #opened = new Inbox<WeriftRTCDataChannel>();
  #pc: WeriftRTCPeerConnection | undefined;
  #target = '';
  #chain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly socket: Client,
    readonly joined: Joined,
    private readonly args: PeerArgs,
  ) {
    socket.on('signal', (m) => {
      if (m.from !== this.#target) return; // another peer of the room: not the one under test
      this.signals.push(m.data);
      // One at a time: a candidate must wait for the description before it.
      this.#chain = this.#chain.then(() => this.#apply(m.data)).catch(() => undefined);
    });
  }

  /** Connects and joins `a.room` as `a.name`, speaking protocol version 1. */
  static async join(a: PeerArgs): Promise<Wire> {
    const socket = await connect(a);
    const ack = await socket
      .timeout(a.waitMs)
      .emitWithAck('join', { room: a.room, name: a.name, protocol: PROTOCOL_VERSION, ...(a.token ? { token: a.token } : {}) })
      .catch(() => undefined);
    if (!ack?.ok) {
      socket.disconnect();
      throw new CliError(ack ? `the server refused the join: ${ack.error.code}: ${ack.error.message}` : `no answer to join within ${a.waitMs / 1000} s`);
    }
    return new Wire(socket, ack, a);
  }

  /** The client under test: the first peer the join listed (we offer), or the next to join (it offers). */
  async target(): Promise<{ id: string; name: string; weOffer: boolean }> {
    const there = this.joined.peers[0];
    if (there) return { ...there, weOffer: true };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new CliError(`nobody joined room ${this.args.room} within ${this.args.waitMs / 1000} s`)), this.args.waitMs);
      this.socket.once('peer-joined', (p) => {
        clearTimeout(timer);
        resolve({ id: p.id, name: p.name, weOffer: false });
      });
    });
  }

  /** Makes the peer connection to `peerId`; when `weOffer`, with our data channel and our offer. */
  async start(peerId: string, weOffer: boolean): Promise<void> {
    this.#target = peerId;
    const rtc = createWeriftRtc(this.args.iceAddress ? { peerConfig: onlyAddress(this.args.iceAddress) } : {});
    const pc = (this.#pc = new rtc.RTCPeerConnection({ iceServers: this.joined.iceServers, iceTransportPolicy: this.args.relay ? 'relay' : 'all' }) as WeriftRTCPeerConnection);
    pc.addEventListener('connectionstatechange', () => this.states.push(`pc:${pc.connectionState}`));
    pc.addEventListener('icecandidate', (e) => {
      const c = (e as Event & { candidate: RTCIceCandidate | null }).candidate;
      // End of candidates is the W3C empty candidate (docs/protocol.md, "Signals").
      const candidate = c ? { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex } : { candidate: '', sdpMid: '0', sdpMLineIndex: 0 };
      this.#send({ type: 'candidate', candidate });
    });
    pc.addEventListener('datachannel', (e) => this.#adopt((e as Event & { channel: WeriftRTCDataChannel }).channel));
    if (!weOffer) return;
    this.#adopt(pc.createDataChannel('conformance') as unknown as WeriftRTCDataChannel);
    await pc.setLocalDescription(await pc.createOffer());
    this.#send({ type: 'offer', sdp: pc.localDescription!.sdp });
  }

  /** The data channel once open, or undefined after `ms`. */
  async open(ms: number): Promise<WeriftRTCDataChannel | undefined> {
    return (await this.#opened.next(() => true, ms))?.value;
  }

  send(data: string | Uint8Array): void {
    this.channel?.send(data);
  }

  /** Sends in order, waiting while more than `high` bytes are queued on the channel. */
  async sendAll(frames: Iterable<string | Uint8Array>, high = 1 << 20): Promise<void> {
    const ch = this.channel;
    if (!ch) return;
    ch.bufferedAmountLowThreshold = high / 4;
    for (const f of frames) {
      if (ch.readyState !== 'open') return;
      if (ch.bufferedAmount > high) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 10_000);
          ch.addEventListener('bufferedamountlow', () => (clearTimeout(t), resolve()), { once: true });
        });
      }
      ch.send(f);
    }
  }

  /** Leaves the room and closes everything; safe to call twice. */
  close(): void {
    if (this.socket.connected) this.socket.emit('leave', {});
    this.channel?.close();
    this.#pc?.close();
    this.socket.disconnect();
  }

  #adopt(ch: WeriftRTCDataChannel): void {
    this.channel = ch;
    ch.binaryType = 'arraybuffer';
    ch.addEventListener('open', () => this.#opened.push(ch));
    ch.addEventListener('close', () => this.states.push('channel:closed'));
    ch.addEventListener('message', (e) => {
      const d = (e as MessageEvent).data as string | ArrayBuffer;
      this.messages.push(typeof d === 'string' ? d : new Uint8Array(d));
    });
    if (ch.readyState === 'open') this.#opened.push(ch);
  }

  async #apply(data: SignalData): Promise<void> {
    const pc = this.#pc;
    if (!pc || !('type' in data)) return; // renegotiation requests: this peer has no media to add
    if (data.type === 'offer') {
      await pc.setRemoteDescription({ type: 'offer', sdp: data.sdp });
      await pc.setLocalDescription(await pc.createAnswer());
      this.#send({ type: 'answer', sdp: pc.localDescription!.sdp });
    } else if (data.type === 'answer') {
      await pc.setRemoteDescription({ type: 'answer', sdp: data.sdp });
    } else if (data.type === 'candidate' && data.candidate.candidate !== '') {
      await pc.addIceCandidate(data.candidate as RTCIceCandidateInit);
    }
  }

  #send(data: SignalData): void {
    this.socket.emit('signal', { to: this.#target, data });
  }
}
