/**
 * Turns an RTCStatsReport into what the page shows per peer: the selected candidate pair's local
 * and remote candidate types (direct or relayed), round-trip time, and bitrate since the previous
 * sample. Pure: takes the stats entries, so it is tested with plain objects.
 */

/** A connection's path: `direct` (host or server-reflexive pair), `relay` (through TURN), or `unknown` (not connected yet). */
export type PathKind = 'direct' | 'relay' | 'unknown';

/** What a peer connection's statistics say about its path and traffic (read every `statsIntervalMs`). */
export interface PathStats {
  /** This side's candidate type in the selected ICE pair (`host`, `srflx`, `prflx`, `relay`). */
  localType: string | null;
  /** The other side's candidate type in the selected pair. */
  remoteType: string | null;
  /** relay when either side of the selected pair is a relay candidate. */
  path: PathKind;
  /** The transport of this side's candidate (`udp`, `tcp`; for a relay candidate, how this side reaches the relay). */
  localProtocol: string | null;
  /** Round-trip time of the selected pair, ms. */
  rttMs: number | null;
  /** Send + receive bitrate over the last interval, bits per second. */
  bitrateBps: number;
  /** Bytes sent on the connection so far. */
  bytesSent: number;
  /** Bytes received on the connection so far. */
  bytesReceived: number;
  /** Sum of framesDecoded over every inbound video stream. */
  framesDecoded: number;
  /** When these figures were read, ms since the epoch. */
  at: number;
}

type Stat = Record<string, unknown> & { id: string; type: string };

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function pathOf(localType: string | null, remoteType: string | null): PathKind {
  if (!localType || !remoteType) return 'unknown';
  return localType === 'relay' || remoteType === 'relay' ? 'relay' : 'direct';
}

export function summarizeStats(report: Iterable<Stat>, at: number, prev?: PathStats | null): PathStats {
  const byId = new Map<string, Stat>();
  for (const s of report) byId.set(s.id, s);
  let pair: Stat | undefined;
  for (const s of byId.values()) {
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') {
      pair = byId.get(s.selectedCandidatePairId);
      if (pair) break;
    }
  }
  if (!pair) {
    // Firefox has no transport stats: fall back to the nominated, selected pair.
    for (const s of byId.values()) {
      if (s.type === 'candidate-pair' && (s.selected === true || (s.nominated === true && s.state === 'succeeded'))) {
        pair = s;
        break;
      }
    }
  }
  const local = pair ? byId.get(String(pair.localCandidateId)) : undefined;
  const remote = pair ? byId.get(String(pair.remoteCandidateId)) : undefined;
  const localType = str(local?.candidateType);
  const remoteType = str(remote?.candidateType);
  const rtt = num(pair?.currentRoundTripTime);
  const bytesSent = num(pair?.bytesSent) ?? 0;
  const bytesReceived = num(pair?.bytesReceived) ?? 0;
  let framesDecoded = 0;
  for (const s of byId.values()) {
    if (s.type === 'inbound-rtp' && (s.kind === 'video' || s.mediaType === 'video')) framesDecoded += num(s.framesDecoded) ?? 0;
  }
  let bitrateBps = 0;
  if (prev && at > prev.at) {
    const delta = bytesSent + bytesReceived - prev.bytesSent - prev.bytesReceived;
    bitrateBps = Math.max(0, Math.round((delta * 8 * 1000) / (at - prev.at)));
  }
  return {
    localType,
    remoteType,
    path: pathOf(localType, remoteType),
    localProtocol: str(local?.protocol),
    rttMs: rtt === null ? null : Math.round(rtt * 1000),
    bitrateBps,
    bytesSent,
    bytesReceived,
    framesDecoded,
    at,
  };
}
