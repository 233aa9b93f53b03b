/**
 * Caps on outgoing video (Room.setVideoLimits): written into every video sender's encodings with
 * RTCRtpSender.setParameters (W3C webrtc-pc section 5.2), which changes what the encoder sends
 * without renegotiation. Senders made later (a new peer, a new call) get them on the room's next
 * change; a sender not negotiated yet (no encodings) is tried again then.
 */
import { SwitchboardError } from './errors.js';

/** Limits on each outgoing video stream; a field left out is not limited. */
export interface VideoLimits {
  /** Highest bitrate of each outgoing video, bits per second (`RTCRtpEncodingParameters.maxBitrate`). */
  maxBitrateBps?: number;
  /** Highest frame rate, frames per second (`maxFramerate`). */
  maxFramerate?: number;
  /** Send the camera's picture scaled down by this factor, 1 or more (`scaleResolutionDownBy`). */
  scaleResolutionDownBy?: number;
}

/** The limits as given, checked; throws `invalid-argument` naming the field. */
export function checkVideoLimits(l: VideoLimits | null): VideoLimits | null {
  if (l === null) return null;
  if (typeof l !== 'object') throw new SwitchboardError('invalid-argument', 'setVideoLimits() takes { maxBitrateBps?, maxFramerate?, scaleResolutionDownBy? } or null');
  const out: VideoLimits = {};
  const field = (k: keyof VideoLimits, min: number) => {
    const v = l[k];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new SwitchboardError('invalid-argument', `setVideoLimits(): \`${k}\` must be a number of at least ${min}`);
    out[k] = v;
  };
  field('maxBitrateBps', 1000);
  field('maxFramerate', 1);
  field('scaleResolutionDownBy', 1);
  return out;
}

const keyOf = (l: VideoLimits | null) => (l ? `${l.maxBitrateBps ?? ''}/${l.maxFramerate ?? ''}/${l.scaleResolutionDownBy ?? ''}` : 'none');

/** Applies limits to senders, each once per change of the limits (and again while it fails). */
export class VideoLimiter {
  private limits: VideoLimits | null = null;
  private readonly applied = new WeakMap<RTCRtpSender, string>();
  private readonly pending = new WeakSet<RTCRtpSender>();

  get current(): VideoLimits | null {
    return this.limits && { ...this.limits };
  }

  set(limits: VideoLimits | null): void {
    this.limits = limits;
  }

  /** Brings every video sender in `senders` to the current limits. */
  apply(senders: Iterable<RTCRtpSender>): void {
    const key = keyOf(this.limits);
    for (const s of senders) {
      if (s.track?.kind !== 'video' || this.pending.has(s) || typeof s.setParameters !== 'function') continue;
      // A sender never limited needs nothing while there are no limits.
      const was = this.applied.get(s);
      if (was === key || (was === undefined && this.limits === null)) continue;
      const p = s.getParameters();
      if (!p.encodings?.length) continue; // not negotiated yet
      for (const enc of p.encodings) {
        const e = enc as RTCRtpEncodingParameters & Record<string, unknown>;
        const l = this.limits;
        if (l?.maxBitrateBps !== undefined) e.maxBitrate = l.maxBitrateBps;
        else delete e.maxBitrate;
        if (l?.maxFramerate !== undefined) e.maxFramerate = l.maxFramerate;
        else delete e.maxFramerate;
        if (l?.scaleResolutionDownBy !== undefined) e.scaleResolutionDownBy = l.scaleResolutionDownBy;
        else delete e.scaleResolutionDownBy;
      }
      this.pending.add(s);
      s.setParameters(p)
        .then(() => this.applied.set(s, key))
        .catch(() => undefined) // a sender mid-negotiation or gone: tried again on the next change
        .finally(() => this.pending.delete(s));
    }
  }
}
