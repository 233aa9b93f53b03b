/**
 * The signaling connection: a Socket.IO client with our own reconnect policy (Socket.IO's own
 * reconnection is off so the policy is one small function, see retry.ts), acks with timeouts, and
 * typed events. The socket is injected (`SocketLike`) so tests drive it with a fake.
 */
import type { ProtocolError } from '../../../server/protocol/errors.js';
import type { IceServersAck, JoinAck, PeerInfo } from '../../../server/protocol/events.js';
import type { JoinRequest, SignalData } from '../../../server/protocol/schemas.js';
import { Emitter } from './emitter.js';
import { type RetryPolicy } from './retry.js';
/** What we use of a socket.io-client Socket. */
export interface SocketLike {
    readonly connected: boolean;
    connect(): unknown;
    disconnect(): unknown;
    on(event: string, fn: (...args: any[]) => void): unknown;
    emit(event: string, ...args: unknown[]): unknown;
}
export type SignalingStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'unreachable' | 'closed';
export interface SignalingEvents {
    status: [SignalingStatus];
    /** (Re)connected: the owner joins (or rejoins) its room now. */
    connected: [];
    /** The answer to a join sent in the connection handshake (see protocol/events.ts). */
    joined: [JoinAck];
    'peer-joined': [PeerInfo & {
        resumed: boolean;
    }];
    'peer-left': [{
        id: string;
    }];
    signal: [{
        from: string;
        data: SignalData;
    }];
    'protocol-error': [ProtocolError & {
        event: string;
    }];
    [k: string]: unknown[];
}
export declare const ACK_TIMEOUT_MS = 8000;
export declare class SignalingClient extends Emitter<SignalingEvents> {
    private readonly socket;
    status: SignalingStatus;
    /** Successful connects so far (1 after the first). */
    connects: number;
    private everConnected;
    private timer;
    private readonly retry;
    /** Set by `server-shutdown`: wait at least this long before reconnecting. */
    private minDelayMs;
    constructor(socket: SocketLike, policy?: RetryPolicy);
    start(): void;
    get connected(): boolean;
    /** The transport in use ('websocket' or 'polling'), when the socket is a Socket.IO client. */
    get transport(): string | null;
    join(req: JoinRequest): Promise<JoinAck>;
    iceServers(): Promise<IceServersAck>;
    signal(to: string, data: SignalData): void;
    /** Leave the room and close the socket for good. */
    close(): void;
    private request;
    private scheduleReconnect;
    private setStatus;
}
