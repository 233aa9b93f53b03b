/**
 * The signaling protocol's typed event maps, shared by the server (Socket.IO `Server<...>`) and the
 * browser client (`Socket<...>`). `test/protocol.test.ts` checks both sides against these.
 *
 * ## Who initiates (glare-free rule)
 * The newcomer initiates. The `join` ack lists the peers already in the room; the joining client
 * creates an offer to each of them. Peers already in the room receive `peer-joined` and wait for the
 * newcomer's offer; they never offer first. Two peers therefore never both send an initial offer.
 * Renegotiation (adding video to a data-only call) stays with the original initiator: the other
 * side asks for it with `{ renegotiate: true }` (or `{ transceiverRequest }`), and the initiator
 * sends the new offer. After a rejoin (`resume`), a peer that already has a working connection to
 * another keeps it and does not initiate again.
 *
 * ## Joining in the handshake
 * A client may put its `join` request in Socket.IO's connection handshake (`auth: { join }`,
 * a function on the client so every reconnect sends the current request, `resume` included). The
 * server runs it exactly as a `join` event, first in the socket's queue, and answers with the
 * `joined` event, which carries what the `join` ack would. That saves the `join` round trip on the
 * call-setup path. The `join` event stays, for moving rooms and for clients that do not use it.
 *
 * ## Ordering and delivery
 * `signal` is delivered only between two peers of the same room, in order per sender. The server
 * never inspects SDP beyond validating its shape and size.
 */
import type { Ack, ProtocolError } from './errors.js';
import type { JoinRequest, SignalData, SignalRequest } from './schemas.js';
export interface PeerInfo {
    id: string;
    name: string;
}
/** RTCIceServer as the browser takes it. */
export interface IceServer {
    urls: string[];
    username?: string;
    credential?: string;
}
export type JoinAck = Ack<{
    peerId: string;
    /** Present this with `resume` to keep the same peer id after a reconnect. */
    resumeKey: string;
    room: string;
    capacity: number;
    /** Peers already in the room: the joining client initiates to each of them. */
    peers: PeerInfo[];
    iceServers: IceServer[];
    /** True when this join took over a previous session of the same peer id. */
    resumed: boolean;
}>;
export type SimpleAck = Ack;
export type IceServersAck = Ack<{
    iceServers: IceServer[];
    ttl: number;
}>;
export interface ClientToServerEvents {
    join: (req: JoinRequest, ack: (res: JoinAck) => void) => void;
    signal: (req: SignalRequest, ack?: (res: SimpleAck) => void) => void;
    leave: (req: Record<string, never> | undefined, ack?: (res: SimpleAck) => void) => void;
    /** Fresh ICE servers and TURN credentials (clients reuse the join ack's while they are fresh; see docs/web.md). */
    'ice-servers': (req: Record<string, never> | undefined, ack: (res: IceServersAck) => void) => void;
}
/** What a client may send in the handshake's `auth` (see "Joining in the handshake"). */
export interface HandshakeAuth {
    join?: JoinRequest;
}
export interface ServerToClientEvents {
    /** The answer to a `join` sent in the handshake (`auth.join`): exactly what the `join` ack would be. */
    joined: (res: JoinAck) => void;
    signal: (msg: {
        from: string;
        data: SignalData;
    }) => void;
    'peer-joined': (peer: PeerInfo & {
        resumed: boolean;
    }) => void;
    'peer-left': (msg: {
        id: string;
    }) => void;
    /** An event sent without an ack failed; `event` names it. */
    'protocol-error': (err: ProtocolError & {
        event: string;
    }) => void;
    /** The server is going away: reconnect (to another node) after `reconnectAfterMs`. */
    'server-shutdown': (msg: {
        reconnectAfterMs: number;
    }) => void;
}
export interface SocketData {
    peerId?: string;
    room?: string;
    name?: string;
}
export type ClientEventName = keyof ClientToServerEvents;
export declare const CLIENT_EVENTS: readonly ClientEventName[];
