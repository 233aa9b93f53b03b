/**
 * The shared screen on one link, both ways: the screen this side sends beside its camera, and the
 * one the peer sends (room.ts `shareScreen`).
 *
 * Sending: the screen's track goes out on a sender of its own, beside the camera's (simple-peer's
 * addTrack, which renegotiates: the first share on a link only). Stopping sends null on that
 * sender, and a later share sends the new track on it: RTCRtpSender.replaceTrack, no
 * renegotiation either way (W3C webrtc-pc section 5.2; a sender given null sends nothing). The peer
 * learns which of its receivers carries the screen from a `screen` control message naming the
 * sender's transceiver mid (RFC 8843 section 2: one mid names one m= section at both ends), which
 * is set once this side has applied the description that brought the m= section.
 *
 * Receiving: a remote track whose transceiver has a mid the peer named is the screen; it is never
 * part of the camera's stream (remote-media.ts), also after the sharing stopped (the peer's next
 * share comes on the same mid). The track and the message come by two paths (signaling and the
 * data channel), in either order: whichever comes second shows the screen.
 */

/** The part of an RTCPeerConnection used here. */
export interface ScreenPc {
  getSenders(): RTCRtpSender[];
  getTransceivers(): RTCRtpTransceiver[];
  addEventListener(type: 'signalingstatechange', fn: () => void): void;
}

export interface LinkScreenEvents {
  /** Tell the peer where this side's screen is (`{ t: 'screen', mid }`; null: stopped). */
  announce(mid: string | null): void;
  /** The peer's screen, as a stream of its one video track, or null. */
  stream(stream: MediaStream | null): void;
  /** A remote track turned out to be the screen: take it out of the camera's media. */
  notCamera(track: MediaStreamTrack): void;
}

export class LinkScreen {
  private sender: RTCRtpSender | null = null;
  private sending: MediaStreamTrack | null = null;
  /** The mid of this side's screen sender, once negotiated. */
  private sentMid: string | null = null;
  /** Every mid the peer named as its screen on this link. */
  private readonly remoteMids = new Set<string>();
  private remoteMid: string | null = null;
  /** Remote tracks by their transceiver's mid. */
  private readonly tracks = new Map<string, MediaStreamTrack>();
  private shown: MediaStreamTrack | null = null;
  /** The peer's screen now (see `LinkScreenEvents.stream`). */
  stream: MediaStream | null = null;

  constructor(
    private readonly pc: ScreenPc | undefined,
    /** simple-peer's addTrack (it keeps its own map of senders and renegotiates). */
    private readonly addTrack: (track: MediaStreamTrack, stream: MediaStream) => void,
    private readonly on: LinkScreenEvents,
    /** Makes the stream shown for a track (injected by the tests: Node has no MediaStream). */
    private readonly make: (track: MediaStreamTrack) => MediaStream = (t) => new MediaStream([t]),
  ) {
    // The initiator's mid is set by its offer, the other side's by the offer it answers.
    if (typeof pc?.addEventListener === 'function') pc.addEventListener('signalingstatechange', () => this.checkMid());
  }

  /** What to announce to the peer now (a link whose channel just opened): the mid, or null. */
  get announced(): string | null {
    return this.sending ? this.sentMid : null;
  }

  /** Sends `track` as this side's screen (null: stops); `stream` is the one it belongs to. */
  async send(track: MediaStreamTrack | null, stream: MediaStream | null): Promise<void> {
    if (track === this.sending) return;
    const was = this.sending;
    this.sending = track;
    if (!track && was && this.sentMid) this.on.announce(null);
    if (this.sender) {
      await this.sender.replaceTrack(track);
      if (track && this.sentMid && this.sending === track) this.on.announce(this.sentMid);
      return;
    }
    if (!track || !stream || !this.pc) return;
    this.addTrack(track, stream);
    this.sender = this.pc.getSenders().find((s) => s.track === track) ?? null;
    this.checkMid();
  }

  private checkMid(): void {
    if (this.sentMid !== null || !this.sender || !this.pc) return;
    const mid = this.pc.getTransceivers().find((t) => t.sender === this.sender)?.mid ?? null;
    if (mid === null) return;
    this.sentMid = mid;
    if (this.sending) this.on.announce(mid);
  }

  /** A remote track and its transceiver's mid: true when it is the peer's screen (not camera). */
  take(track: MediaStreamTrack, mid: string | null): boolean {
    if (mid === null) return false;
    this.tracks.set(mid, track);
    track.addEventListener('ended', () => {
      if (this.shown === track) this.show(null);
    });
    if (!this.remoteMids.has(mid)) return false;
    if (mid === this.remoteMid) this.show(track);
    return true;
  }

  /** The peer's `screen` message. */
  remote(mid: string | null): void {
    this.remoteMid = mid;
    if (mid === null) return this.show(null);
    this.remoteMids.add(mid);
    const track = this.tracks.get(mid);
    if (track) this.on.notCamera(track);
    this.show(track && track.readyState !== 'ended' ? track : null);
  }

  private show(track: MediaStreamTrack | null): void {
    if (track === this.shown && (track === null) === (this.stream === null)) return;
    this.shown = track;
    // A new stream for each share: a <video> reloads on a new srcObject (see remote-media.ts).
    this.stream = track ? this.make(track) : null;
    this.on.stream(this.stream);
  }
}
