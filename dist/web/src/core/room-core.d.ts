import type { JoinRequest } from '../../../server/protocol/schemas.js';
import { Emitter } from './emitter.js';
import { type ControlMessage } from './framing.js';
import { PeerLink } from './peer-link.js';
import { SignalingClient } from './signaling.js';
import type { MediaState, PeerEntry, RoomEvents, RoomOptions, RoomStatus } from './room-types.js';
import { Transfers } from './transfer.js';
/** A first offer prepared before the join is used only this young (see `adoptSpare`). */
export declare const SPARE_MAX_AGE_MS = 20000;
export declare abstract class RoomCore extends Emitter<RoomEvents> {
    protected readonly opts: RoomOptions;
    status: RoomStatus;
    selfId: string | null;
    capacity: number;
    error: string | null;
    relayOnly: boolean;
    name: string;
    readonly room: string;
    readonly peers: Map<string, PeerEntry>;
    readonly departed: Array<{
        id: string;
        name: string;
        at: number;
    }>;
    /** `protocol-error` events from the server (a client bug if any appear). */
    readonly protocolErrors: string[];
    readonly transfers: Transfers;
    readonly signaling: SignalingClient;
    localStream: MediaStream | null;
    media: MediaState;
    /** Joins that resumed a previous session (after a signaling reconnect). */
    resumes: number;
    private resumeKey;
    private readonly ice;
    private readonly statsTimer;
    /** Signals produced while signaling was down (e.g. a renegotiation): sent after the rejoin. */
    private outbox;
    /** The first offer, prepared before the join (see `prepareSpare`), until a peer takes it. */
    private spare;
    private spareTimer;
    /** A peer connection has been made on this page (the prepared offer): WebRTC is warmed up. */
    webrtcWarm: boolean;
    /** Waiting for the handshake join's `joined`: falls back to a `join` event when it is late. */
    private joinedTimer;
    /** The request the handshake carried, until its `joined` arrives. */
    private pendingHandshakeJoin;
    /** A join the server could not take right now is sent again (`joinRetryPolicy`). */
    private readonly joinRetry;
    private joinRetryTimer;
    constructor(opts: RoomOptions);
    /** A message on `e`'s data channel (chat, call state, files): the feature layer handles it. */
    protected abstract onData(e: PeerEntry, link: PeerLink, d: string | Uint8Array): void;
    protected get isLeft(): boolean;
    start(): void;
    leave(): void;
    /** What this client asks for when it (re)joins: sent as `join`, or in the handshake. */
    joinRequest(): JoinRequest;
    /** The request for the connection handshake (Socket.IO's `auth`), remembered for its answer. */
    handshakeJoinRequest(): JoinRequest;
    private onConnected;
    private onHandshakeJoined;
    private join;
    private onJoinAck;
    /** The join failed for now (see TRANSIENT_JOIN_ERRORS): again after the policy's delay. */
    private retryJoin;
    private onPeerJoined;
    private onPeerLeft;
    private onSignal;
    private onSignalingStatus;
    /** `freshIce`: fetch new TURN credentials even if the cached ones may be reused (after a failure). */
    protected connect(e: PeerEntry, initiator: boolean, freshIce?: boolean): Promise<void>;
    /**
     * A new link, or null when the browser refused to make the peer connection (a malformed ICE
     * server entry, its limit on peer connections): that counts as a failed link (`linkFailed`).
     */
    private startLink;
    private newLink;
    /**
     * The first offer starts before the join: the page knows its ICE servers (boot data), so the
     * peer connection, its offer and ICE gathering run while the signaling connection opens. The
     * first peer this client initiates to takes it (its signals so far are sent then); if there is
     * none, it is dropped after the join, having warmed the browser's WebRTC up.
     */
    private prepareSpare;
    private adoptSpare;
    protected dropSpare(): void;
    private createLink;
    private wireLink;
    private onLinkClosed;
    /**
     * The initiator replaces a failed link (bounded by its policy); the other side waits for the
     * initiator's fresh offer, and gives up if none comes.
     */
    private linkFailed;
    private peerFailed;
    private pollStats;
    /** ICE servers for a new connection: the cached ones while reusable (see ice-cache.ts) unless `fresh`. */
    private iceServers;
    private sendSignal;
    private upsert;
    private remove;
    private dropLink;
    private resetIdentity;
    protected broadcast(m: ControlMessage): void;
    protected sendTo(e: PeerEntry, m: ControlMessage): void;
    private notice;
    protected changed(): void;
}
