/**
 * A cheap, frequent check that media still arrives on a link (issue 15: recovery time). The stats
 * poll (`getStats`, once a second by default) is too coarse and too costly to notice a lost path
 * quickly: a restart for stalled media then begins 1.5 to 2.5 s after the path broke. Chromium's
 * data channel makes every second count twice: SCTP's retransmission timer backs off during the
 * outage (libwebrtc caps it at 3 s), so the first data on the new path waits for the next
 * expiry, and the longer the outage, the later that comes.
 *
 * `RTCRtpReceiver.getSynchronizationSources()` is synchronous and reads state the receiver keeps
 * anyway (W3C webrtc-pc, section 5.3.4: one entry per source seen in the last 10 s, with the time
 * and RTP timestamp of its latest frame). Its `timestamp`/`rtpTimestamp` change with every frame
 * delivered, so a mark summing them stops changing when packets stop arriving. Where the API is
 * missing (werift in Node, older browsers) `mediaMark` is null and the stats poll's byte count
 * serves instead (room-core.ts).
 */

/** How often the mark is read on links that should carry media. */
export const MEDIA_CHECK_MS = 250;

interface SourceLike {
  timestamp?: number;
  rtpTimestamp?: number;
}

interface ReceiverLike {
  track?: { readyState?: string } | null;
  getSynchronizationSources?: () => SourceLike[];
}

/**
 * A number that changes while media frames arrive on `pc`, or null when this runtime cannot tell
 * (no `getSynchronizationSources`, no live remote track, or no frame received yet).
 */
export function mediaMark(pc: { getReceivers?: () => ReceiverLike[] } | undefined): number | null {
  if (!pc?.getReceivers) return null;
  let mark = 0;
  let sources = 0;
  for (const r of pc.getReceivers()) {
    if (typeof r.getSynchronizationSources !== 'function' || r.track?.readyState !== 'live') continue;
    for (const s of r.getSynchronizationSources()) {
      mark += (s.timestamp ?? 0) + (s.rtpTimestamp ?? 0);
      sources++;
    }
  }
  // No source yet (a call that has just started, its first frame still to come): nothing to tell.
  // Taken for a stall, it would restart ICE in the middle of the call's own renegotiation.
  return sources > 0 ? mark : null;
}
