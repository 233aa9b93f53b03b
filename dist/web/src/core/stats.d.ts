/**
 * Turns an RTCStatsReport into what the page shows per peer: the selected candidate pair's local
 * and remote candidate types (direct or relayed), round-trip time, and bitrate since the previous
 * sample. Pure: takes the stats entries, so it is tested with plain objects.
 */
export type PathKind = 'direct' | 'relay' | 'unknown';
export interface PathStats {
    localType: string | null;
    remoteType: string | null;
    /** relay when either side of the selected pair is a relay candidate. */
    path: PathKind;
    localProtocol: string | null;
    rttMs: number | null;
    /** Send + receive bitrate over the last interval, bits per second. */
    bitrateBps: number;
    bytesSent: number;
    bytesReceived: number;
    /** Sum of framesDecoded over every inbound video stream. */
    framesDecoded: number;
    at: number;
}
type Stat = Record<string, unknown> & {
    id: string;
    type: string;
};
export declare function pathOf(localType: string | null, remoteType: string | null): PathKind;
export declare function summarizeStats(report: Iterable<Stat>, at: number, prev?: PathStats | null): PathStats;
export declare function formatBitrate(bps: number): string;
export declare function formatBytes(n: number): string;
export {};
