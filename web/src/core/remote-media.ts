/**
 * The remote side's media on one link, as one stream with at most one audio and one video track.
 *
 * A peer connection can hold more than one receiving transceiver per kind: when both sides start a
 * call, simple-peer's renegotiation gives each side a transceiver the other asked for, and the
 * second side's addTrack cannot reuse it (its sender was negotiated as sending, so addTrack makes
 * a new one; W3C webrtc-pc, addTrack step 7). The remote side then has a receiver per transceiver:
 * one whose track carries frames and one whose track stays muted forever (no RTP ever arrives).
 * A `<video>` shows the first video track of its stream, so a stream holding both showed nothing
 * when the muted one came first (seen in the e2e video test: 0x0, readyState 0).
 *
 * So every track is kept, and the stream shows per kind the track that carries media: the current
 * one while it is unmuted or no other is, else the newest unmuted one. A track's `unmute` (RTP
 * arrived), `mute`, `ended` or its removal by the other side picks again. When the choice changes
 * `changed` gets a new stream: Chromium's `<video>` does not follow a track swapped inside the
 * stream it plays, not even when the same stream is assigned to `srcObject` again (seen in the e2e
 * video test under load: one live audio and one live video track, the element at readyState 0).
 * A new stream object also lets an app do the obvious thing, `video.srcObject = stream`, on every
 * `stream` event.
 */

/** The part of a MediaStreamTrack used here. */
export interface TrackLike {
  readonly kind: string;
  readonly muted: boolean;
  readonly readyState: string;
  addEventListener(type: string, fn: () => void): void;
}

/** The part of a remote MediaStream used here: its `removetrack` event. */
export interface SourceLike {
  addEventListener(type: string, fn: (e: Event) => void): void;
}

export class RemoteMedia<T extends TrackLike, S> {
  private readonly tracks: T[] = [];
  private shown: T[] = [];
  /** The stream shown to the app, null before the first track. */
  stream: S | null = null;

  constructor(
    /** Makes a stream of these tracks (`(t) => new MediaStream(t)` in a browser). */
    private readonly make: (tracks: T[]) => S,
    private readonly changed: (stream: S) => void,
  ) {}

  /** A track from the peer connection's `track` event; `from` is its remote stream, if any. */
  add(track: T, from?: SourceLike): void {
    if (this.tracks.includes(track)) return;
    this.tracks.push(track);
    const pick = (): void => this.pick();
    track.addEventListener('unmute', pick);
    track.addEventListener('mute', pick);
    track.addEventListener('ended', () => this.remove(track));
    from?.addEventListener('removetrack', (e) => (e as unknown as { track: unknown }).track === track && this.remove(track));
    this.pick();
  }

  /** Forgets `track` (ended, removed, or not the camera's: the peer's screen, link-screen.ts). */
  remove(track: T): void {
    const i = this.tracks.indexOf(track);
    if (i < 0) return;
    this.tracks.splice(i, 1);
    this.pick();
  }

  private pick(): void {
    const next: T[] = [];
    for (const kind of new Set(this.tracks.map((t) => t.kind))) {
      const candidates = this.tracks.filter((t) => t.kind === kind && t.readyState !== 'ended');
      const current = this.shown.find((t) => t.kind === kind);
      const unmuted = candidates.filter((t) => !t.muted);
      const keep = current !== undefined && candidates.includes(current) && (!current.muted || unmuted.length === 0);
      const choice = keep ? current : (unmuted.at(-1) ?? candidates.at(-1));
      if (choice) next.push(choice);
    }
    if (next.length === this.shown.length && next.every((t) => this.shown.includes(t))) return;
    this.shown = next;
    this.stream = this.make(next);
    this.changed(this.stream);
  }
}
