import { EventEmitter } from 'node:events';
import tls from 'node:tls';
import { MessageBuilder, type StunMessage, type TransportAddress } from '../stun/index.js';
export type ClientTransport = 'udp' | 'tcp' | 'tls';
export interface TurnClientOptions {
    transport?: ClientTransport;
    host: string;
    port: number;
    username?: string;
    password?: string;
    /** Extra tls.connect options (e.g. `{ rejectUnauthorized: false }` or `{ ca }`). */
    tls?: tls.ConnectionOptions;
    /** UDP: first retransmission timeout in ms (doubles each time). Default 200. */
    rto?: number;
    /** UDP: retransmissions before giving up. Default 6. */
    maxRetransmits?: number;
    /** TCP/TLS: request timeout in ms. Default 5000. */
    timeout?: number;
    /** Local address to bind (UDP) or connect from (TCP). */
    localAddress?: string;
    /** Add FINGERPRINT to requests. Default true. */
    fingerprint?: boolean;
    /** Protect requests with MESSAGE-INTEGRITY-SHA256 instead of MESSAGE-INTEGRITY. Default false. */
    sha256?: boolean;
}
export interface PeerAddress {
    address: string;
    port: number;
}
export interface AllocateOptions {
    lifetime?: number;
    /** REQUESTED-TRANSPORT protocol number; default 17 (UDP). */
    transport?: number;
    /** REQUESTED-ADDRESS-FAMILY (4 or 6). Omitted by default. */
    family?: 4 | 6;
    /** EVEN-PORT; `reserve` sets the R bit (ask for the next port to be reserved). */
    evenPort?: {
        reserve: boolean;
    };
    reservationToken?: Buffer;
    dontFragment?: boolean;
}
export interface AllocateResult {
    relayed: TransportAddress;
    mapped: TransportAddress | undefined;
    lifetime: number;
    reservationToken?: Buffer | undefined;
}
export interface RequestOptions {
    /** Add long-term credentials (default true except for Binding). */
    auth?: boolean;
}
export declare class TurnError extends Error {
    readonly code: number;
    readonly reason: string;
    readonly response?: StunMessage | undefined;
    constructor(code: number, reason: string, response?: StunMessage | undefined);
}
export interface TurnClientEvents {
    data: [data: Buffer, peer: PeerAddress, channel: number | undefined];
    /** Every STUN message received that is not a Data indication (responses included). */
    message: [msg: StunMessage];
    close: [];
    error: [err: Error];
}
export declare class TurnClient extends EventEmitter<TurnClientEvents> {
    readonly opts: TurnClientOptions;
    readonly transport: ClientTransport;
    private udp?;
    private stream?;
    private readonly pending;
    private realm?;
    private nonce?;
    private key?;
    private readonly channels;
    private readonly channelByPeer;
    private nextChannel;
    private closed;
    /** The client's local transport address. */
    local: PeerAddress;
    private constructor();
    static connect(opts: TurnClientOptions): Promise<TurnClient>;
    private open;
    private onClose;
    private onPacket;
    /** Send bytes to the server as they are (ChannelData or STUN; no framing added). */
    sendRaw(buf: Buffer): void;
    /**
     * Send a prebuilt request and wait for the response with the same transaction id. UDP requests
     * are retransmitted (RFC 8489 section 6.2.1). Resolves with the response (success or error).
     */
    rawRequest(buf: Buffer): Promise<StunMessage>;
    /** Build a request with this client's credentials (when known) and FINGERPRINT. */
    buildRequest(method: number, fill?: (b: MessageBuilder) => void, auth?: boolean): Buffer;
    /**
     * Send a request; answers 401 (first challenge) and 438 (stale nonce) by retrying once with the
     * new REALM/NONCE. Resolves with the success response, rejects with TurnError otherwise.
     */
    request(method: number, fill?: (b: MessageBuilder) => void, opts?: RequestOptions): Promise<StunMessage>;
    binding(): Promise<TransportAddress>;
    allocate(o?: AllocateOptions): Promise<AllocateResult>;
    refresh(lifetime?: number): Promise<number>;
    createPermission(...peers: string[]): Promise<void>;
    channelBind(peer: PeerAddress, channel?: number): Promise<number>;
    sendIndication(peer: PeerAddress, data: Buffer): void;
    sendChannelData(channel: number, data: Buffer): void;
    send(peer: PeerAddress, data: Buffer): void;
    /** Close the socket; pending requests reject. Idempotent. */
    close(): Promise<void>;
}
export { longTermKey } from '../stun/integrity.js';
export { restCredentials } from '../auth/rest.js';
