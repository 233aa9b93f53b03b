/**
 * A room from one client's point of view: the connection layer (room-core.ts) plus what travels on
 * the data channels: application messages (text, JSON, binary), files, call state, and the
 * relay-only switch. No DOM. The public face of this is client.ts's `Room`.
 */
import { PROTOCOL_VERSION } from '../../../server/protocol/version.js';
import { PROTOCOL_ERRORS_MAX, pushCapped } from './capped.js';
import { type ControlMessage, BINARY_MAGIC, CHUNK_HEADER, CHUNK_MAGIC, PROTOCOL_ERROR_MAX, decodeControl } from './framing.js';
import { SwitchboardError } from './errors.js';
import { encodeMessage, type Message } from './messages.js';
import type { MediaState, PeerEntry } from './room-types.js';
import type { PeerLink } from './peer-link.js';
import { RoomCore } from './room-core.js';
import type { FileSource, TransferInfo } from './transfer.js';
import { VideoLimiter } from './video-limits.js';

export type * from './room-types.js';

/** The least time between two `protocol-error` answers to one peer. */
const ANSWER_INTERVAL_MS = 1000;

/** Whether a text that failed to decode still says it is a `protocol-error` (never answered). */
function isProtocolError(text: string): boolean {
  try {
    return (JSON.parse(text) as { t?: unknown } | null)?.t === 'protocol-error';
  } catch {
    return false;
  }
}

export class RoomSession extends RoomCore {
  private messageSeq = 0;
  /** Data-channel messages from peers that broke the protocol (dropped and reported). */
  malformedMessages = 0;

  /**
   * Sends an application message to `to` (peer ids) or to every connected peer; returns the ids
   * it went to. Throws a SwitchboardError for data it cannot send or a peer it cannot reach.
   */
  sendMessage(data: unknown, to?: string): string[] {
    if (this.isLeft) throw new SwitchboardError('left', 'the room was left');
    const targets = this.targets(to);
    const { frame } = encodeMessage(data, `${this.selfId ?? 'self'}-${++this.messageSeq}`, Date.now());
    const sent: string[] = [];
    for (const e of targets) {
      try {
        e.link!.send(frame);
        sent.push(e.id);
      } catch (err) {
        if (to !== undefined) throw new SwitchboardError('not-connected', `the data channel to ${to} is not open: ${err instanceof Error ? err.message : String(err)}`, to);
      }
    }
    return sent;
  }

  /** Send a file to one peer, or to every connected peer. */
  sendFile(src: FileSource, to?: string): Promise<TransferInfo[]> {
    if (this.isLeft) return Promise.reject(new SwitchboardError('left', 'the room was left'));
    let targets: PeerEntry[];
    try {
      targets = this.targets(to);
    } catch (err) {
      return Promise.reject(err);
    }
    return Promise.all(targets.map((e) => this.transfers.send(e.id, e.link!.channel, src)));
  }

  /** The connected peers a message goes to: `to` alone (which must be connected), or all of them. */
  private targets(to: string | undefined): PeerEntry[] {
    if (to === undefined) return [...this.peers.values()].filter((e) => e.link?.channel.open);
    if (typeof to !== 'string') throw new SwitchboardError('invalid-argument', '`to` must be a peer id (a string)');
    const e = this.peers.get(to);
    if (!e) throw new SwitchboardError('unknown-peer', `no peer ${to} in this room`, to);
    if (!e.link?.channel.open) throw new SwitchboardError('not-connected', `the data channel to ${to} is not open (the peer is ${e.conn})`, to);
    return [e];
  }

  setLocalStream(stream: MediaStream | null): void {
    this.localStream = stream;
    for (const e of this.peers.values()) e.link?.setStream(stream);
    const a = stream?.getAudioTracks()[0];
    const v = stream?.getVideoTracks()[0];
    this.setMedia({ inCall: stream !== null, audio: !!a?.enabled, video: !!v?.enabled });
  }

  /** The screen this side shares beside its camera (`shareScreen`), or null. */
  screen: MediaStream | null = null;

  /**
   * Shares `stream`'s video track (a screen, window or tab from getDisplayMedia) with every peer
   * as a second video track beside the camera, on every connection and on those made later
   * (link-screen.ts); null stops. Stops by itself when the track ends (the browser's own "Stop
   * sharing"). The stream's other tracks are not sent.
   */
  shareScreen(stream: MediaStream | null): void {
    if (stream === this.screen) return;
    this.screen = stream;
    const track = stream?.getVideoTracks()[0];
    track?.addEventListener('ended', () => this.screen === stream && this.shareScreen(null), { once: true });
    for (const e of this.peers.values()) if (e.link) this.sendScreen(e.link);
    this.changed();
  }

  private sendScreen(link: PeerLink): void {
    const s = this.screen;
    void link.screen.send(s?.getVideoTracks()[0] ?? null, s).catch(() => undefined); // a link closing meanwhile
  }

  protected linkMade(e: PeerEntry, link: PeerLink): void {
    // After the camera's: in a new link's first offer or answer (the answerer's screen, which the
    // offer has no m= section for, is asked for by simple-peer after it answers).
    if (this.screen) this.sendScreen(link);
    const announce = (mid: string | null) => e.link === link && this.sendTo(e, { t: 'screen', mid });
    link.on('screen-mid', announce);
    link.on('connect', () => {
      const mid = link.screen.announced;
      if (mid !== null) announce(mid);
    });
    link.on('screen', (s) => {
      if (e.link !== link) return;
      e.screen = s;
      this.emit('screen', e.id, s);
      this.changed();
    });
  }

  /** Outgoing video limits (Room.setVideoLimits), brought to every video sender on each change. */
  readonly videoLimiter = new VideoLimiter();

  /**
   * Sends `track` in place of the local stream's track of its kind, on every connection, without
   * renegotiation; the stream then holds it (connections made later send it). It takes the old
   * track's enabled state (muted stays muted). False when the stream has no track of that kind.
   */
  async replaceTrack(track: MediaStreamTrack): Promise<boolean> {
    const stream = this.localStream;
    const old = stream?.getTracks().find((t) => t.kind === track.kind);
    if (!stream || !old) return false;
    if (old === track) return true;
    track.enabled = old.enabled;
    const swaps = [...this.peers.values()].map((e) => e.link?.replaceTrack(old, track).catch(() => undefined));
    stream.removeTrack(old);
    stream.addTrack(track);
    await Promise.all(swaps);
    this.changed();
    return true;
  }

  /** New limits: applied now (and with every later change). */
  setVideoLimitsChanged(): void {
    this.changed();
  }

  protected override changed(): void {
    super.changed();
    // Optional chaining: the base constructor may report a change before this field exists.
    this.videoLimiter?.apply([...this.peers.values()].flatMap((e) => e.link?.senders() ?? []));
  }

  setTrackEnabled(kind: 'audio' | 'video', enabled: boolean): void {
    for (const t of this.localStream?.getTracks() ?? []) if (t.kind === kind) t.enabled = enabled;
    this.setMedia({ ...this.media, [kind]: enabled && !!this.localStream?.getTracks().some((t) => t.kind === kind) });
  }

  setName(name: string): void {
    this.name = name;
    this.broadcast({ t: 'hello', name, v: PROTOCOL_VERSION });
    this.changed();
  }

  /** Switch relay-only; every connection is replaced so the new policy applies. */
  setRelayOnly(on: boolean): void {
    if (this.relayOnly === on) return;
    this.relayOnly = on;
    this.dropSpare(); // prepared under the other policy
    for (const e of this.peers.values()) {
      if (!e.link) continue;
      if (e.link.initiator) void this.connect(e, true);
      else this.sendTo(e, { t: 'restart' });
    }
    this.changed();
  }

  protected onData(e: PeerEntry, link: PeerLink, d: string | Uint8Array): void {
    if (e.link !== link) return;
    if (typeof d !== 'string') {
      if (d[0] === BINARY_MAGIC) this.emit('message', { from: e.id, kind: 'binary', data: d.subarray(1) });
      else if (d[0] === CHUNK_MAGIC && d.length >= CHUNK_HEADER) this.transfers.handleBinary(e.id, d);
      // Never taken as something else (a JSON text sent as binary is not a file chunk).
      else this.malformed(e, `a binary message of ${d.length} bytes with kind byte ${d[0] === undefined ? 'none' : `0x${d[0].toString(16).padStart(2, '0')}`} (file chunks are 0xf1, messages 0xf2)`);
      return;
    }
    const m = decodeControl(d);
    if (!m) return this.malformed(e, `a text message that is not a valid control message: ${d.length > 80 ? `${d.slice(0, 80)}...` : d}`, !isProtocolError(d));
    this.onControl(e, link, m);
    this.changed();
  }

  private onControl(e: PeerEntry, link: PeerLink, m: ControlMessage): void {
    switch (m.t) {
      case 'hello': {
        const v = m.v ?? 1;
        if (v !== e.protocol && v !== PROTOCOL_VERSION) this.report(e, `the peer speaks protocol version ${v}, this side ${PROTOCOL_VERSION}: what it sends that this version lacks is reported as malformed`);
        e.name = m.name;
        e.protocol = v;
        break;
      }
      case 'protocol-error':
        // The peer refused something this side sent: reported, never answered (no loop).
        this.report(e, `refused a message from this side: ${m.message}`);
        break;
      case 'chat':
        this.emit('message', { from: e.id, kind: 'text', data: m.text, id: m.id, ts: m.ts } satisfies Message);
        break;
      case 'json':
        this.emit('message', { from: e.id, kind: 'json', data: m.data, id: m.id, ts: m.ts } satisfies Message);
        break;
      case 'media':
        e.media = { inCall: m.inCall, audio: m.audio, video: m.video };
        break;
      case 'screen':
        link.screen.remote(m.mid);
        break;
      case 'restart':
        if (link.initiator) void this.connect(e, true);
        break;
      default:
        this.transfers.handleControl(e.id, link.channel, m);
    }
  }

  /**
   * A peer broke the data-channel protocol: dropped, counted and reported, never acted on; and
   * answered with a `protocol-error` saying what was wrong, at most once a second per peer (a peer
   * sending garbage in a loop gets one answer a second, not one per message).
   */
  private malformed(e: PeerEntry, what: string, answer = true): void {
    this.malformedMessages++;
    const now = Date.now();
    if (answer && now - e.answeredAt >= ANSWER_INTERVAL_MS) {
      e.answeredAt = now;
      this.sendTo(e, { t: 'protocol-error', message: what.length > PROTOCOL_ERROR_MAX ? `${what.slice(0, PROTOCOL_ERROR_MAX - 3)}...` : what });
    }
    this.report(e, what);
  }

  /** A protocol problem with a peer, in the state's protocol errors and the SDK's `error` event. */
  private report(e: PeerEntry, what: string): void {
    const text = `peer ${e.name || e.id}: ${what}`;
    pushCapped(this.protocolErrors, `data channel: ${text}`, PROTOCOL_ERRORS_MAX);
    this.emit('peer-protocol-error', { peerId: e.id, message: text });
    this.changed();
  }

  private setMedia(m: MediaState): void {
    this.media = m;
    this.broadcast({ t: 'media', ...m });
    this.changed();
  }
}
