/**
 * One peer connection (a simple-peer instance) to one remote peer: signaling in and out, the data
 * channel as a ChannelLike with backpressure, media, and stats. No DOM; simple-peer is injected
 * through `PeerFactory` so tests can use a fake.
 */
import type { SignalData } from '../../../server/protocol/schemas.js';
import { Emitter } from './emitter.js';
import { type PathStats } from './stats.js';
import type { ChannelLike } from './transfer.js';
/** The part of a simple-peer instance this module uses. */
export interface SimplePeerLike {
    readonly connected: boolean;
    readonly destroyed: boolean;
    signal(data: unknown): void;
    send(data: string | Uint8Array): void;
    addStream(stream: MediaStream): void;
    removeStream(stream: MediaStream): void;
    destroy(err?: Error): void;
    on(event: string, fn: (...args: any[]) => void): unknown;
    _pc?: RTCPeerConnection;
    _channel?: RTCDataChannel | null;
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
    /** The link is gone. `error` is set when it failed (ICE failure, bad SDP) rather than closed. */
    close: [{
        error?: string;
    }];
    ice: [string];
    [k: string]: unknown[];
}
/** Data channel low-water mark; senders wait for `bufferedamountlow` below this. */
export declare const LOW_WATER: number;
/** A link that has not connected after this long is replaced. */
export declare const NEGOTIATION_TIMEOUT_MS = 20000;
/** `o=- <session id> <version> ...` of an SDP: a new RTCPeerConnection means a new session id. */
export declare function sdpSessionId(sdp: string | undefined): string | null;
/**
 * simple-peer adds `type` to its renegotiation messages (`{type:'renegotiate', renegotiate:true}`),
 * which the server's strict schema rejects: send exactly what the protocol allows.
 */
export declare function toWire(data: Record<string, unknown>): SignalData | null;
export declare class PeerLink extends Emitter<LinkEvents> {
    /** '' for a link prepared before its peer is known (room-core.ts `prepareSpare`). */
    peerId: string;
    readonly initiator: boolean;
    state: LinkState;
    iceState: string;
    /** Increases with every link created in this page: tells a replacement from the original. */
    readonly generation: number;
    /** Session id of the remote side's RTCPeerConnection (from its first offer or answer). */
    remoteSession: string | null;
    readonly createdAt: number;
    lastStats: PathStats | null;
    private readonly peer;
    private readonly streams;
    private closed;
    constructor(
    /** '' for a link prepared before its peer is known (room-core.ts `prepareSpare`). */
    peerId: string, initiator: boolean, factory: PeerFactory, config: RTCConfiguration, streams: MediaStream[]);
    /** Every remote track of this link (see the 'track' listener), as one stream. */
    private remote;
    private addRemoteTrack;
    private markConnected;
    get live(): boolean;
    /**
     * Worth keeping across a signaling reconnect: connected and not failed, or still negotiating
     * but young (a negotiation older than that lost its signals with the old socket).
     */
    get healthy(): boolean;
    signal(data: SignalData): void;
    send(data: string | Uint8Array): void;
    readonly channel: ChannelLike;
    setStream(stream: MediaStream | null): void;
    stats(): Promise<PathStats | null>;
    destroy(): void;
    private channelOpen;
    private waitForLow;
    /** The peer closed or failed on its own (not through destroy()): tell the owner once. */
    private finish;
}
