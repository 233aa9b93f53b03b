/**
 * One peer connection (a simple-peer instance) to one remote peer: signaling in and out, the data
 * channel as a ChannelLike with backpressure, media, and stats. No DOM; simple-peer is injected
 * through `PeerFactory` so tests can use a fake.
 */
import type { SignalData } from '../../../server/protocol/schemas.js';
import { Emitter } from './emitter.js';
import { LinkScreen } from './link-screen.js';
import { RemoteMedia } from './remote-media.js';
import { type PathStats, summarizeStats } from './stats.js';
import type { ChannelLike } from './transfer.js';
import { mediaMark } from './media-watch.js';

/** The part of a simple-peer instance this module uses. */
export interface SimplePeerLike {
  readonly connected: boolean;
  readonly destroyed: boolean;
  signal(data: unknown): void;
  send(data: string | Uint8Array): void;
  addStream(stream: MediaStream): void;
  removeStream(stream: MediaStream): void;
  addTrack?(track: MediaStreamTrack, stream: MediaStream): void;
  /** simple-peer's senders by track and stream (what its removeStream looks up). */
  _senderMap?: Map<MediaStreamTrack, Map<MediaStream, RTCRtpSender>>;
  destroy(err?: Error): void;
  on(event: string, fn: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  _pc?: RTCPeerConnection;
  _channel?: RTCDataChannel | null;
  /** simple-peer's "send the offer anyway" timer (5 s), which its destroy() leaves running. */
  _iceCompleteTimer?: ReturnType<typeof setTimeout> | null;
  /** simple-peer's renegotiation: the initiator makes an offer (after `restartIce()`, a restart). */
  negotiate?(): void;
  /** simple-peer's handlers of the peer connection's state changes (wrapped, see `keepOnIceFailure`). */
  _onIceStateChange?: () => void;
  _onConnectionStateChange?: () => void;
}

export interface PeerFactoryOptions {
  initiator: boolean;
  config: RTCConfiguration;
  streams: MediaStream[];
}

export type PeerFactory = (opts: PeerFactoryOptions) => SimplePeerLike;

export type LinkState = 'connecting' | 'connected' | 'closed' | 'failed';

export interface LinkEvents {
  signal: [SignalData];
  connect: [];
  data: [string | Uint8Array];
  stream: [MediaStream];
  /** The peer's shared screen (a stream of one video track), or null: it stopped (link-screen.ts). */
  screen: [MediaStream | null];
  /** Where this side's screen goes, for the peer (`{ t: 'screen', mid }`). */
  'screen-mid': [string | null];
  /** The link is gone. `error` is set when it failed (ICE failure, bad SDP) rather than closed. */
  close: [{ error?: string }];
  ice: [string];
  /** The remote side's offer or answer brought new ICE credentials (an ICE restart). */
  'remote-ice': [string];
  [k: string]: unknown[];
}

/** Data channel low-water mark; senders wait for `bufferedamountlow` below this. */
export const LOW_WATER = 1024 * 1024;
/** A link that has not connected after this long is replaced. */
export const NEGOTIATION_TIMEOUT_MS = 20_000;

/** `o=- <session id> <version> ...` of an SDP: a new RTCPeerConnection means a new session id. */
export function sdpSessionId(sdp: string | undefined): string | null {
  const m = /^o=\S+ (\d+) /m.exec(sdp ?? '');
  return m ? m[1]! : null;
}

/** The first `a=ice-ufrag:` of an SDP: a new one after an ICE restart (RFC 8839 section 5.4). */
export function sdpUfrag(sdp: string | undefined): string | null {
  const m = /^a=ice-ufrag:(\S+)/m.exec(sdp ?? '');
  return m ? m[1]! : null;
}

/**
 * simple-peer adds `type` to its renegotiation messages (`{type:'renegotiate', renegotiate:true}`),
 * which the server's strict schema rejects: send exactly what the protocol allows.
 */
export function toWire(data: Record<string, unknown>): SignalData | null {
  if (data.renegotiate === true) return { renegotiate: true };
  if (data.transceiverRequest && typeof data.transceiverRequest === 'object') {
    const r = data.transceiverRequest as { kind?: unknown; init?: { direction?: unknown } };
    if (r.kind !== 'audio' && r.kind !== 'video') return null;
    const dir = r.init?.direction;
    return typeof dir === 'string'
      ? ({ transceiverRequest: { kind: r.kind, init: { direction: dir } } } as SignalData)
      : { transceiverRequest: { kind: r.kind } };
  }
  if (data.type === 'candidate' && data.candidate && typeof data.candidate === 'object') {
    const c = data.candidate as Record<string, unknown>;
    const out: Record<string, unknown> = { candidate: String(c.candidate ?? '') };
    if (c.sdpMid !== undefined) out.sdpMid = c.sdpMid;
    if (c.sdpMLineIndex !== undefined) out.sdpMLineIndex = c.sdpMLineIndex;
    return { type: 'candidate', candidate: out } as SignalData;
  }
  if (typeof data.type === 'string' && typeof data.sdp === 'string') {
    return { type: data.type, sdp: data.sdp } as SignalData;
  }
  return null;
}

let generations = 0;

export class PeerLink extends Emitter<LinkEvents> {
  state: LinkState = 'connecting';
  iceState = 'new';
  /** Increases with every link created in this page: tells a replacement from the original. */
  readonly generation = ++generations;
  /** Session id of the remote side's RTCPeerConnection (from its first offer or answer). */
  remoteSession: string | null = null;
  /** The remote side's ICE username fragment, from its last offer or answer (changes on an ICE restart). */
  remoteUfrag: string | null = null;
  readonly createdAt = Date.now();
  lastStats: PathStats | null = null;
  private readonly peer: SimplePeerLike;
  private readonly streams = new Set<MediaStream>();
  private closed = false;

  constructor(
    /** '' for a link prepared before its peer is known (room-core.ts `prepareSpare`). */
    public peerId: string,
    readonly initiator: boolean,
    factory: PeerFactory,
    config: RTCConfiguration,
    streams: MediaStream[],
  ) {
    super();
    for (const s of streams) this.streams.add(s);
    this.peer = factory({ initiator, config, streams });
    this.peer.on('signal', (data: Record<string, unknown>) => {
      const wire = toWire(data);
      if (wire) this.emit('signal', wire);
    });
    // Connected when the data channel opens (ICE, DTLS and SCTP are up then). simple-peer's own
    // 'connect' comes after a getStats call, 10-20 ms later (and in 100 ms steps while the stats
    // show no selected pair yet); it counts too, for a channel whose 'open' we missed.
    this.peer.on('connect', () => this.markConnected());
    const watch = (ch: RTCDataChannel) => {
      if (ch.readyState === 'open') this.markConnected();
      else ch.addEventListener('open', () => this.markConnected(), { once: true });
    };
    if (this.peer._channel) watch(this.peer._channel);
    else this.peer._pc?.addEventListener('datachannel', (e) => watch(e.channel), { once: true });
    this.peer.on('data', (d: string | Uint8Array) => this.emit('data', d));
    // Every remote track, from the peer connection itself, into one stream per link (remote-media.ts
    // picks one track per kind from them). simple-peer's
    // 'track' skips a track that arrives without a stream: that happens when the other side's track
    // is attached to a transceiver first negotiated without one (its transceiverRequest racing a
    // renegotiation). And the audio and the video track can then belong to different streams, or
    // none: a tile showing either stream lacked the other's track (seen in the e2e video test
    // under load: the remote tile with an audio-only stream while video frames were decoded).
    // (simple-peer's 'stream' also fires once per stream id; a track added later is missed.)
    const pc = this.peer._pc;
    // End of candidates (RFC 8838 section 13; the W3C API's empty candidate): simple-peer drops the
    // browser's null candidate, so a peer whose ICE agent waits for it would only see a timeout
    // when no pair works. Sent once per gathering, for the m-line the last candidate named.
    let last: { sdpMid?: unknown; sdpMLineIndex?: unknown } = { sdpMid: '0', sdpMLineIndex: 0 };
    this.on('signal', (d) => {
      if ('type' in d && d.type === 'candidate' && d.candidate.candidate) last = { sdpMid: d.candidate.sdpMid, sdpMLineIndex: d.candidate.sdpMLineIndex };
    });
    pc?.addEventListener('icecandidate', (ev) => {
      if (ev.candidate !== null || this.closed) return;
      const end: Record<string, unknown> = { candidate: '' };
      if (last.sdpMid !== undefined) end.sdpMid = last.sdpMid;
      if (last.sdpMLineIndex !== undefined) end.sdpMLineIndex = last.sdpMLineIndex;
      this.emit('signal', { type: 'candidate', candidate: end } as SignalData);
    });
    this.screen = new LinkScreen(pc, (t, s) => this.peer.addTrack?.(t, s), {
      announce: (mid) => this.emit('screen-mid', mid),
      stream: (s) => !this.closed && this.emit('screen', s),
      notCamera: (t) => this.remote?.remove(t),
    });
    if (pc) pc.addEventListener('track', (ev) => this.addRemoteTrack(ev.track, ev.streams[0], ev.transceiver?.mid ?? null));
    else this.peer.on('track', (t: MediaStreamTrack, s: MediaStream) => this.addRemoteTrack(t, s, null));
    this.peer.on('iceStateChange', (ice: string) => this.setIce(ice));
    this.keepOnIceFailure(pc);
    this.peer.on('error', (err: Error & { code?: string }) => this.finish(err.code ?? err.message ?? 'error'));
    this.peer.on('close', () => this.finish());
  }

  private setIce(ice: string): void {
    if (ice === this.iceState) return;
    this.iceState = ice;
    this.emit('ice', ice);
  }

  /**
   * simple-peer destroys its peer connection when ICE (or the connection) goes `failed`. A link
   * that has connected keeps it instead: DTLS, SCTP and the data channel survive an ICE restart
   * (`restartIce`), which is what the room does then (ice-restart.ts). A link that never
   * connected has nothing to keep and fails as before. simple-peer calls these handlers through
   * `this`, so wrapping them on the instance is enough.
   */
  private keepOnIceFailure(pc: RTCPeerConnection | undefined): void {
    const sp = this.peer;
    const onIce = sp._onIceStateChange;
    const onConn = sp._onConnectionStateChange;
    if (!pc || typeof onIce !== 'function' || typeof onConn !== 'function' || !this.canRestart) return;
    const keep = (state: string) => state === 'failed' && this.state === 'connected' && !this.closed;
    sp._onIceStateChange = () => {
      if (keep(pc.iceConnectionState)) this.setIce('failed');
      else onIce.call(sp);
    };
    sp._onConnectionStateChange = () => {
      if (!keep(pc.connectionState)) onConn.call(sp);
    };
  }

  /** Whether this link can restart ICE in place (the runtime has `restartIce`, simple-peer renegotiates). */
  get canRestart(): boolean {
    const pc = this.peer._pc;
    return !!pc && typeof pc.restartIce === 'function' && typeof this.peer.negotiate === 'function';
  }

  /**
   * Restarts ICE on this connection, keeping DTLS, the data channel and the tracks: fresh ICE
   * servers first (new TURN credentials: a new allocation), then `restartIce()`; the initiator
   * makes the offer with new ICE credentials (RFC 8445 section 9), the other side answers the
   * one it asked for. False when this link cannot (closed, or a runtime without `restartIce`).
   */
  restartIce(iceServers: RTCIceServer[] | null): boolean {
    const pc = this.peer._pc;
    if (this.closed || !pc || !this.canRestart) return false;
    if (iceServers && iceServers.length > 0 && typeof pc.setConfiguration === 'function') {
      try {
        pc.setConfiguration({ ...(pc.getConfiguration?.() ?? {}), iceServers });
      } catch {
        /* a runtime that refuses a change: the old servers still serve the restart */
      }
    }
    // The answerer's new credentials come with its answer to the restart offer it asked for.
    if (!this.initiator) return true;
    const restart = () => {
      if (this.closed) return;
      try {
        pc.restartIce();
        this.peer.negotiate!();
      } catch {
        /* destroyed meanwhile: its close event says so */
      }
    };
    // An offer of an earlier restart whose answer never came (lost with a signaling connection
    // that died) leaves the connection in have-local-offer, and simple-peer queues every new
    // negotiation until it is stable again: roll that offer back first (simple-peer sees stable).
    if (pc.signalingState === 'have-local-offer') {
      pc.setLocalDescription({ type: 'rollback' }).then(restart, restart);
    } else restart();
    return true;
  }

  /** Every remote track of this link (see the 'track' listener), shown as one stream. */
  private remote: RemoteMedia<MediaStreamTrack, MediaStream> | null = null;
  /** The screen this side shares on this link and the one the peer shares (link-screen.ts). */
  readonly screen: LinkScreen;
  private addRemoteTrack(track: MediaStreamTrack, from: MediaStream | undefined, mid: string | null): void {
    if (typeof MediaStream === 'undefined') return; // Node (werift and the like): no media streams
    if (this.screen.take(track, mid)) return;
    this.remote ??= new RemoteMedia((tracks) => new MediaStream(tracks), (s) => this.emit('stream', s));
    this.remote.add(track, from);
  }

  private markConnected(): void {
    if (this.closed || this.state === 'connected') return;
    const ch = this.peer._channel;
    if (ch && typeof ch.bufferedAmountLowThreshold === 'number') ch.bufferedAmountLowThreshold = LOW_WATER;
    this.state = 'connected';
    this.emit('connect');
  }

  get live(): boolean {
    return !this.closed;
  }

  /**
   * Worth keeping across a signaling reconnect: connected and not failed, or still negotiating
   * but young (a negotiation older than that lost its signals with the old socket).
   */
  get healthy(): boolean {
    if (this.closed || this.iceState === 'closed') return false;
    // A failed link that connected once is being restarted in place (see keepOnIceFailure).
    if (this.iceState === 'failed' && this.state !== 'connected') return false;
    return this.state === 'connected' || Date.now() - this.createdAt < NEGOTIATION_TIMEOUT_MS;
  }

  signal(data: SignalData): void {
    if (this.closed || 'iceRestart' in data) return; // a request to the room (ice-restart.ts), not to simple-peer
    if ('sdp' in data && data.sdp) {
      if (this.remoteSession === null) this.remoteSession = sdpSessionId(data.sdp);
      const ufrag = sdpUfrag(data.sdp);
      if (ufrag !== null && ufrag !== this.remoteUfrag) {
        this.remoteUfrag = ufrag;
        this.emit('remote-ice', ufrag);
      }
    }
    try {
      this.peer.signal(data);
    } catch (err) {
      this.finish(err instanceof Error ? err.message : String(err));
    }
  }

  send(data: string | Uint8Array): void {
    if (!this.channelOpen()) throw new Error('data channel is not open');
    this.peer.send(data);
  }

  readonly channel: ChannelLike = ((self: PeerLink): ChannelLike => ({
    send: (d) => self.send(d),
    get open() {
      return self.channelOpen();
    },
    get bufferedAmount() {
      return self.peer._channel?.bufferedAmount ?? 0;
    },
    waitForLow: () => self.waitForLow(),
  }))(this);

  setStream(stream: MediaStream | null): void {
    if (this.closed) return;
    for (const s of this.streams) {
      if (s === stream) continue;
      try {
        this.peer.removeStream(s);
      } catch {
        /* already removed */
      }
      this.streams.delete(s);
    }
    if (stream && !this.streams.has(stream)) {
      this.streams.add(stream);
      this.peer.addStream(stream);
    }
  }

  /** The peer connection's RTP senders (none once closed, or without a peer connection). */
  senders(): RTCRtpSender[] {
    return this.closed ? [] : (this.peer._pc?.getSenders() ?? []);
  }

  /**
   * Sends `next` in place of `old` (a track of `stream`, which this link sends) on the same
   * sender: RTCRtpSender.replaceTrack, no renegotiation (W3C webrtc-pc section 5.2).
   */
  async replaceTrack(old: MediaStreamTrack, next: MediaStreamTrack): Promise<void> {
    const sender = this.senders().find((x) => x.track === old);
    if (!sender) return;
    // simple-peer finds a track's sender in its own map (removeStream needs it later): the new
    // track gets the old one's entry. Its replaceTrack() is not used: it drops the sender's
    // promise, and replacing the same track twice stalled Chromium's encoder (seen in the e2e
    // devices test: no frame sent after the swap).
    const map = this.peer._senderMap;
    const entry = map?.get(old);
    if (map && entry) map.set(next, entry);
    await sender.replaceTrack(next);
  }

  /** See media-watch.ts: changes while media arrives; null where the runtime cannot tell. */
  mediaMark(): number | null {
    return this.closed ? null : mediaMark(this.peer._pc as Parameters<typeof mediaMark>[0]);
  }

  async stats(): Promise<PathStats | null> {
    const pc = this.peer._pc;
    if (!pc || this.closed) return null;
    const report = await pc.getStats();
    const list: Array<Record<string, unknown> & { id: string; type: string }> = [];
    report.forEach((s: Record<string, unknown> & { id: string; type: string }) => list.push(s));
    this.lastStats = summarizeStats(list, Date.now(), this.lastStats);
    return this.lastStats;
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.state = 'closed';
    try {
      this.peer.destroy();
    } catch {
      /* ignore */
    }
    this.clearPeerTimer();
  }

  /** In Node the timer simple-peer forgets would keep the process alive for 5 s after leave(). */
  private clearPeerTimer(): void {
    if (this.peer._iceCompleteTimer) clearTimeout(this.peer._iceCompleteTimer);
  }

  private channelOpen(): boolean {
    return !this.closed && this.peer._channel?.readyState === 'open';
  }

  private waitForLow(): Promise<void> {
    const ch = this.peer._channel;
    if (!ch || ch.readyState !== 'open' || ch.bufferedAmount <= ch.bufferedAmountLowThreshold) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        ch.removeEventListener('bufferedamountlow', done);
        ch.removeEventListener('close', done);
        clearInterval(timer);
        resolve();
      };
      ch.addEventListener('bufferedamountlow', done);
      ch.addEventListener('close', done);
      // Belt and braces: some browsers skip the event when the threshold changes mid-flight.
      const timer = setInterval(() => {
        if (ch.readyState !== 'open' || ch.bufferedAmount <= ch.bufferedAmountLowThreshold) done();
      }, 250);
    });
  }

  /** The peer closed or failed on its own (not through destroy()): tell the owner once. */
  private finish(error?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.state = error ? 'failed' : 'closed';
    this.clearPeerTimer();
    this.emit('close', error ? { error } : {});
  }
}
