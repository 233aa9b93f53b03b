/**
 * The connection layer of a room (see room.ts for the features on top, room-join.ts for the join
 * underneath): keeps one PeerLink per remote peer (glare-free: the newcomer initiates), replaces
 * failed links with fresh credentials under a retry policy, and keeps working links across
 * signaling reconnects (resume). No DOM: the socket and simple-peer are injected.
 */
import type { IceServer, JoinAck } from '../../../server/protocol/events.js';
import type { SignalData } from '../../../server/protocol/schemas.js';
import { PROTOCOL_VERSION } from '../../../server/protocol/version.js';
import { DEPARTED_MAX, PROTOCOL_ERRORS_MAX, pushCapped } from './capped.js';
import { type ControlMessage, encodeControl } from './framing.js';
import { IceCache } from './ice-cache.js';
import { IceRestarts, type RecoveryEvent } from './ice-restart.js';
import { MEDIA_CHECK_MS } from './media-watch.js';
import { NEGOTIATION_TIMEOUT_MS, PeerLink, sdpSessionId } from './peer-link.js';
import { RetryState, peerRetryPolicy } from './retry.js';
import { newPeerEntry, offerAction, planJoin } from './roster.js';
import { RoomJoin } from './room-join.js';
import type { MediaState, PeerEntry, RoomOptions } from './room-types.js';
import { SpareOffer } from './spare-offer.js';
import { cancel, type Timer } from './timers.js';
import { Transfers } from './transfer.js';

export { SPARE_MAX_AGE_MS } from './spare-offer.js';
const NO_OFFER_TIMEOUT_MS = 30_000;
export abstract class RoomCore extends RoomJoin {
  relayOnly: boolean;
  readonly peers = new Map<string, PeerEntry>();
  readonly departed: Array<{ id: string; name: string; at: number }> = [];
  /** `protocol-error` events from the server (a client bug if any appear). */
  readonly protocolErrors: string[] = [];
  readonly transfers = new Transfers(this.opts.transferResumeWindowMs === undefined ? {} : { resumeWindowMs: this.opts.transferResumeWindowMs });
  localStream: MediaStream | null = null;
  media: MediaState = { inCall: false, audio: false, video: false };
  private readonly ice = new IceCache();
  private readonly statsTimer: ReturnType<typeof setInterval>;
  /** Reads each calling link's media mark (media-watch.ts) for a quick stalled-media restart. */
  private readonly mediaTimer: ReturnType<typeof setInterval>;
  /** Signals produced while signaling was down (e.g. a renegotiation): sent after the rejoin. */
  private outbox: Array<{ to: string; data: SignalData }> = [];
  /** The first offer, prepared before the join (see `prepareSpare`), until a peer takes it. */
  private readonly spare = new SpareOffer();
  private spareTimer: Timer = null;
  /** ICE restarts in place of links that lost their path (ice-restart.ts). */
  readonly restarts: IceRestarts;
  private readonly offNetwork: () => void;
  /** A peer connection has been made on this page (the prepared offer): WebRTC is warmed up. */
  webrtcWarm = false;
  constructor(opts: RoomOptions) {
    super(opts);
    this.relayOnly = opts.relayOnly ?? false;
    const sig = this.signaling;
    sig.on('peer-joined', (p) => this.onPeerJoined(p.id, p.name));
    sig.on('peer-left', ({ id }) => this.onPeerLeft(id));
    sig.on('signal', ({ from, data }) => void this.onSignal(from, data));
    sig.on('protocol-error', (e) => {
      pushCapped(this.protocolErrors, `${e.event}: ${e.code}: ${e.message}`, PROTOCOL_ERRORS_MAX);
      this.notice('error', `${e.event}: ${e.message}`);
    });
    this.transfers.on('update', () => this.changed());
    this.transfers.on('received', (info, blob) => this.emit('received', info, blob));
    this.statsTimer = setInterval(() => void this.pollStats(), opts.statsIntervalMs ?? 1000);
    this.mediaTimer = setInterval(() => this.checkMedia(), MEDIA_CHECK_MS);
    this.restarts = new IceRestarts(
      {
        freshIceServers: () => this.ice.forRestart(this.signaling),
        askInitiator: (e) => this.sendSignal(e.id, { iceRestart: true }),
        giveUp: (e, link, error) => this.onLinkClosed(e, link, error),
        recovery: (ev: RecoveryEvent) => (this.emit('recovery', ev), this.changed()),
      },
      { graceMs: opts.iceDisconnectedGraceMs, timeoutMs: opts.iceRestartTimeoutMs },
    );
    this.offNetwork = opts.networkChanges?.(() => {
      if (!this.isLeft) this.restarts.onNetworkChange(this.peers.values());
    }) ?? (() => {});
  }

  /** A message on `e`'s data channel (chat, call state, files): the feature layer handles it. */
  protected abstract onData(e: PeerEntry, link: PeerLink, d: string | Uint8Array): void;
  /** A new link of `e`, sending the local stream: the feature layer adds what else it sends (the screen). */
  protected abstract linkMade(e: PeerEntry, link: PeerLink): void;

  start(): void {
    this.status = 'connecting';
    this.signaling.start();
    const boot = this.opts.iceServers;
    if (boot) {
      this.ice.set(boot);
      // In the next task: the socket's handshake request leaves when this one ends, and the first
      // peer connection of a page (the browser's WebRTC start-up) takes tens of milliseconds.
      this.spareTimer = setTimeout(() => {
        this.spareTimer = null;
        try {
          if (this.status === 'connecting') this.prepareSpare(boot);
        } catch {
          // The browser refused the peer connection: no prepared offer; links are made after the join.
        }
      }, 0);
    }
    this.changed();
  }

  protected stopTimers(): void {
    clearInterval(this.statsTimer);
    clearInterval(this.mediaTimer);
    this.restarts.stop();
    this.offNetwork();
    this.transfers.stop();
  }

  leave(): void {
    if (this.isLeft) return;
    this.status = 'left';
    this.stopTimers();
    this.dropSpare();
    for (const e of this.peers.values()) {
      e.timer = cancel(e.timer);
      this.dropLink(e);
    }
    this.peers.clear();
    this.stopJoining();
    this.changed();
  }

  // ---- signaling

  protected applyJoin(ack: JoinAck & { ok: true }): void {
    this.ice.set(ack.iceServers);
    const known = new Map([...this.peers].map(([id, e]) => [id, { link: e.link, pending: e.queue !== null }]));
    const plan = planJoin(ack.peerId, ack.peers, known);
    for (const id of plan.forget) this.remove(this.peers.get(id)!);
    for (const p of ack.peers) if (p.id !== ack.peerId) this.upsert(p.id, p.name);
    for (const id of plan.initiate) void this.connect(this.peers.get(id)!, true);
    this.dropSpare(); // nobody to offer to: it has warmed WebRTC up
    // Alone in the room and no connection made yet on this page: warm WebRTC up for the first
    // offer that will come in (the page is idle now, the caller would wait for it then).
    if (this.peers.size === 0 && !this.webrtcWarm) {
      this.webrtcWarm = true;
      this.opts.warmUp?.();
    }
    const outbox = this.outbox.splice(0);
    for (const m of outbox) if (this.peers.get(m.to)?.link) this.signaling.signal(m.to, m.data);
  }

  private onPeerJoined(id: string, name: string): void {
    if (id === this.selfId) return;
    const e = this.upsert(id, name);
    if (e.link?.healthy || e.queue) {
      this.restarts.onPeerResumed(e); // resumed peer we are still connected to: a restart's signals may be lost
      return;
    }
    this.dropLink(e);
    e.conn = 'waiting'; // the newcomer sends the offer
    this.notice('joined', `${e.name || 'Someone'} joined`);
    this.changed();
  }

  private onPeerLeft(id: string): void {
    const e = this.peers.get(id);
    if (!e) return;
    this.remove(e);
    pushCapped(this.departed, { id, name: e.name, at: Date.now() }, DEPARTED_MAX);
    this.notice('left', `${e.name || 'A peer'} left the room`);
    this.changed();
  }

  private async onSignal(from: string, data: SignalData): Promise<void> {
    if (this.isLeft) return;
    const isOffer = 'type' in data && data.type === 'offer';
    // A candidate or answer from a peer we do not know is late traffic of one that left: an entry
    // made for it would show a peer that is not there. An offer is a peer we have not heard of yet.
    const e = this.peers.get(from) ?? (isOffer ? this.upsert(from, '') : undefined);
    if (!e) return;
    if ('iceRestart' in data) return this.restarts.onRequest(e);
    if (e.queue) {
      e.queue.push(data);
      return;
    }
    const link = e.link;
    if (isOffer) {
      const action = offerAction(link, sdpSessionId(data.sdp), this.selfId ?? '', from);
      if (action === 'ignore') return;
      if (action === 'renegotiate') return link!.signal(data);
      // A replacement (ours failed, or the initiator's did, perhaps over our credentials) gets
      // fresh ones; a first connection may use the cached ones.
      const replacing = link !== null || e.error !== null;
      e.timer = cancel(e.timer); // the offer the no-offer timer was waiting for
      this.dropLink(e); // a fresh connection from the initiator replaces ours
      e.queue = [data];
      e.conn = 'connecting';
      const servers = await this.ice.forLink(this.signaling, replacing);
      const queued = e.queue;
      e.queue = null;
      if (this.peers.get(from) !== e || this.isLeft) return;
      const nl = this.startLink(e, false, servers);
      for (const d of queued) nl?.signal(d);
      return;
    }
    if (link?.live) link.signal(data);
  }

  // ---- peer links

  /** `freshIce`: fetch new TURN credentials even if the cached ones may be reused (after a failure). */
  protected async connect(e: PeerEntry, initiator: boolean, freshIce = false): Promise<void> {
    this.dropLink(e);
    e.conn = initiator ? 'connecting' : 'waiting';
    this.changed();
    if (!initiator) return;
    if (!freshIce && this.adoptSpare(e)) return;
    e.queue = [];
    const servers = await this.ice.forLink(this.signaling, freshIce);
    const queued = e.queue;
    e.queue = null;
    if (this.peers.get(e.id) !== e || this.isLeft || e.link) return;
    const link = this.startLink(e, true, servers);
    for (const d of queued) link?.signal(d);
  }

  /**
   * A new link, or null when the browser refused to make the peer connection (a malformed ICE
   * server entry, its limit on peer connections): that counts as a failed link (`linkFailed`).
   */
  private startLink(e: PeerEntry, initiator: boolean, iceServers: IceServer[]): PeerLink | null {
    try {
      return this.createLink(e, initiator, iceServers);
    } catch (err) {
      this.linkFailed(e, initiator, `could not start the connection: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  }

  private newLink(peerId: string, initiator: boolean, iceServers: IceServer[]): PeerLink {
    const config: RTCConfiguration = { iceServers, iceTransportPolicy: this.relayOnly ? 'relay' : 'all' };
    return new PeerLink(peerId, initiator, this.opts.peerFactory, config, this.localStream ? [this.localStream] : []);
  }

  /**
   * The first offer starts before the join: the page knows its ICE servers (boot data), so the
   * peer connection, its offer and ICE gathering run while the signaling connection opens. The
   * first peer this client initiates to takes it (its signals so far are sent then); if there is
   * none, it is dropped after the join, having warmed the browser's WebRTC up.
   */
  private prepareSpare(iceServers: IceServer[]): void {
    this.spare.hold(this.newLink('', true, iceServers));
    this.webrtcWarm = true;
  }

  private adoptSpare(e: PeerEntry): boolean {
    const spare = this.spare.take();
    if (!spare) return false;
    spare.link.peerId = e.id;
    this.wireLink(e, spare.link);
    if (this.localStream) spare.link.setStream(this.localStream);
    this.linkMade(e, spare.link);
    for (const d of spare.signals) this.sendSignal(e.id, d);
    return true;
  }

  protected dropSpare(): void {
    this.spareTimer = cancel(this.spareTimer);
    this.spare.drop();
  }

  private createLink(e: PeerEntry, initiator: boolean, iceServers: IceServer[]): PeerLink {
    const link = this.wireLink(e, this.newLink(e.id, initiator, iceServers));
    this.linkMade(e, link);
    return link;
  }

  private wireLink(e: PeerEntry, link: PeerLink): PeerLink {
    e.link = link;
    e.conn = 'connecting';
    e.stats = null;
    e.error = null;
    link.on('signal', (d) => this.sendSignal(e.id, d));
    // An offer or answer lost on the way (a socket that dropped as it was sent, a server that
    // refused it) leaves both sides waiting with no ICE under way that could fail: past the
    // negotiation timeout the link is given up, and the failure rules below replace it.
    e.negotiation = cancel(e.negotiation);
    e.negotiation = setTimeout(() => {
      e.negotiation = null;
      if (e.link !== link || link.state === 'connected') return;
      this.onLinkClosed(e, link, 'negotiation timed out'); // its dropLink destroys the link
    }, this.opts.negotiationTimeoutMs ?? NEGOTIATION_TIMEOUT_MS);
    link.on('connect', () => {
      if (e.link !== link) return;
      e.conn = 'connected';
      e.retry.reset();
      e.timer = cancel(e.timer);
      e.negotiation = cancel(e.negotiation);
      this.sendTo(e, { t: 'hello', name: this.name, v: PROTOCOL_VERSION });
      this.sendTo(e, { t: 'media', ...this.media });
      this.transfers.resume(e.id, link.channel); // what the lost connection left unfinished
      this.changed();
    });
    link.on('data', (d) => this.onData(e, link, d));
    link.on('stream', (s) => {
      if (e.link !== link) return;
      e.stream = s;
      this.emit('stream', e.id, s);
      this.changed();
    });
    link.on('ice', (state) => {
      this.restarts.onIce(e, link, state);
      this.changed();
    });
    link.on('remote-ice', () => this.restarts.onRemoteIce(e, link));
    link.on('close', ({ error }) => this.onLinkClosed(e, link, error));
    return link;
  }

  private onLinkClosed(e: PeerEntry, link: PeerLink, error: string | undefined): void {
    if (e.link !== link) return;
    this.dropLink(e);
    if (this.peers.get(e.id) !== e || this.isLeft) return;
    if (!error) {
      e.conn = 'closed'; // the peer hung up; peer-left follows (or a fresh offer)
      this.changed();
      return;
    }
    this.linkFailed(e, link.initiator, error);
  }

  /**
   * The initiator replaces a failed link (bounded by its policy); the other side waits for the
   * initiator's fresh offer, and gives up if none comes.
   */
  private linkFailed(e: PeerEntry, initiator: boolean, error: string): void {
    e.error = error;
    e.conn = 'reconnecting';
    const delay = initiator ? e.retry.next(error) : NO_OFFER_TIMEOUT_MS;
    if (delay === null) return this.peerFailed(e);
    if (initiator) e.attempts++;
    e.timer = cancel(e.timer);
    e.timer = setTimeout(() => {
      e.timer = null;
      if (this.peers.get(e.id) !== e || e.link) return;
      if (initiator) void this.connect(e, true, true); // the failure may be the credentials'
      else this.peerFailed(e);
    }, delay);
    this.changed();
  }

  private peerFailed(e: PeerEntry): void {
    e.conn = 'failed';
    this.notice('failed', `Connection to ${e.name || e.id} failed`);
    this.changed();
  }

  private async pollStats(): Promise<void> {
    let any = false;
    for (const e of this.peers.values()) {
      if (e.conn !== 'connected' || !e.link) continue;
      try {
        const link = e.link;
        e.stats = await link.stats();
        any = true;
        if (e.stats && link.mediaMark() === null) this.restarts.onStats(e, link, e.stats.bytesReceived, sendsMedia(e));
      } catch {
        /* the link went away meanwhile */
      }
    }
    if (any) this.changed();
  }

  /** Links whose peer sends media: has it stopped arriving? (media-watch.ts; the stats poll where the mark is null). */
  private checkMedia(): void {
    for (const e of this.peers.values()) {
      if (e.conn !== 'connected' || !e.link || !sendsMedia(e)) continue;
      const mark = e.link.mediaMark();
      if (mark !== null) this.restarts.onStats(e, e.link, mark, true);
    }
  }

  // ---- helpers

  private sendSignal(to: string, data: SignalData): void {
    if (this.status === 'joined' && this.signaling.connected) this.signaling.signal(to, data);
    else if (this.outbox.length < 500) this.outbox.push({ to, data });
  }

  private upsert(id: string, name: string): PeerEntry {
    let e = this.peers.get(id);
    if (!e) this.peers.set(id, (e = newPeerEntry(id, name, new RetryState(this.opts.peerRetryPolicy ?? peerRetryPolicy))));
    else if (name && !e.name) e.name = name;
    return e;
  }

  private remove(e: PeerEntry): void {
    this.dropLink(e);
    this.transfers.peerGone(e.id);
    e.timer = cancel(e.timer);
    e.queue = null;
    this.peers.delete(e.id);
  }

  private dropLink(e: PeerEntry): void {
    const link = e.link;
    e.link = null;
    this.restarts.forget(e);
    e.negotiation = cancel(e.negotiation);
    if (link) {
      link.destroy();
      this.transfers.suspend(e.id); // paused for their resume window: a new link may come
    }
    if (e.stream) {
      e.stream = null;
      this.emit('stream', e.id, null);
    }
    if (e.screen) {
      e.screen = null;
      this.emit('screen', e.id, null);
    }
  }

  protected forgetPeers(): void {
    for (const e of [...this.peers.values()]) this.remove(e);
  }

  protected broadcast(m: ControlMessage): void {
    for (const e of this.peers.values()) this.sendTo(e, m);
  }

  protected sendTo(e: PeerEntry, m: ControlMessage): void {
    if (!e.link?.channel.open) return;
    try {
      e.link.send(encodeControl(m));
    } catch {
      /* closing */
    }
  }
}

/** The peer says it sends audio or video in a call: packets should arrive all the time. */
const sendsMedia = (e: PeerEntry): boolean => e.media.inCall && (e.media.audio || e.media.video);
