/**
 * The mesh's uplink budget. In a full mesh every peer sends its camera once per other peer in the
 * call, so the uplink carries n-1 copies: each copy gets the budget divided among them (capped
 * between a floor and a ceiling), and the picture is scaled down and its frame rate lowered as the
 * share shrinks, so each copy keeps a readable picture rather than a starved big one.
 *
 * Budget (docs/web.md "Mesh bandwidth"): 1.8 Mb/s of video up in total (a modest home uplink
 * keeps headroom for audio, files and the other direction's feedback); each copy 150 kb/s to
 * 1.2 Mb/s. Audio (Opus, ~32 kb/s a copy) comes on top.
 */
import type { PeerInfo, VideoLimits } from 'switchboard/client';

export const UPLINK_VIDEO_BUDGET_BPS = 1_800_000;
export const COPY_MAX_BPS = 1_200_000;
export const COPY_MIN_BPS = 150_000;

/** The limits for each outgoing video when `receivers` other peers are in the call. */
export function videoLimitsFor(receivers: number): VideoLimits {
  const n = Math.max(1, receivers);
  const share = Math.floor(Math.min(COPY_MAX_BPS, Math.max(COPY_MIN_BPS, UPLINK_VIDEO_BUDGET_BPS / n)));
  // 640x360 from 1 Mb/s; 427x240 from 500 kb/s; below, 320x180 at 20 fps.
  if (share >= 1_000_000) return { maxBitrateBps: share, scaleResolutionDownBy: 1, maxFramerate: 30 };
  if (share >= 500_000) return { maxBitrateBps: share, scaleResolutionDownBy: 1.5, maxFramerate: 30 };
  return { maxBitrateBps: share, scaleResolutionDownBy: 2, maxFramerate: 20 };
}

export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

/**
 * Each peer's connection quality from its statistics: round-trip time, and, when it sends video,
 * the frame rate this side decodes (frames decoded between two samples).
 */
export class QualityMeter {
  private readonly last = new Map<string, { frames: number; at: number; fps: number | null }>();

  /** The peer's quality now; call with each new snapshot. */
  of(p: PeerInfo): Quality {
    const s = p.stats;
    if (p.state !== 'connected' || !s || s.rttMs === null) return 'unknown';
    const prev = this.last.get(p.id);
    let fps = prev?.fps ?? null;
    if (prev && s.at > prev.at) fps = ((s.framesDecoded - prev.frames) * 1000) / (s.at - prev.at);
    if (!prev || s.at > prev.at) this.last.set(p.id, { frames: s.framesDecoded, at: s.at, fps });
    const video = p.media.inCall && p.media.video && p.stream !== null;
    const f = video ? fps : null;
    if (s.rttMs < 150 && (f === null || f >= 12)) return 'good';
    if (s.rttMs < 400 && (f === null || f >= 5)) return 'fair';
    return 'poor';
  }

  forget(keep: Set<string>): void {
    for (const k of [...this.last.keys()]) if (!keep.has(k)) this.last.delete(k);
  }
}
