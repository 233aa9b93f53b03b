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
 * sends the new offer. So does an ICE restart: the other side asks with `{ iceRestart: true }`
 * when its ICE fails or its network changes, and the initiator sends an offer with new ICE
 * credentials on the same connection. After a rejoin (`resume`), a peer that already has a working connection to
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

/** A peer in a room, as the roster and `peer-joined` list it. */
export interface PeerInfo {
  /** The peer id the server assigned at join (kept across a `resume`). */
  id: string;
  /** Display name from the join request, trimmed; `''` when none was given. */
  name: string;
}

/** RTCIceServer as the browser takes it. */
export interface IceServer {
  /** `stun:`, `turn:` or `turns:` URLs of one server. */
  urls: string[];
  /** TURN REST username (`<expiry unix seconds>:<id>`); absent for STUN. */
  username?: string;
  /** TURN password for `username`; absent for STUN. */
  credential?: string;
}

/** The answer to `join` (and the payload of `joined`): this peer's id, the roster and ICE servers. */
export type JoinAck = Ack<{
  /** This peer's id in the room: new, or the one `resume` asked for. */
  peerId: string;
  /** Present this with `resume` to keep the same peer id after a reconnect. */
  resumeKey: string;
  /** The room joined. */
  room: string;
  /** Peers the room holds at most (ROOM_CAPACITY). */
  capacity: number;
  /** Peers already in the room: the joining client initiates to each of them. */
  peers: PeerInfo[];
  /** STUN/TURN servers with fresh credentials, for the RTCPeerConnection's `iceServers`. */
  iceServers: IceServer[];
  /** True when this join took over a previous session of the same peer id. */
  resumed: boolean;
  /** The protocol version of this server (`PROTOCOL_VERSION`, 1 today; see docs/protocol.md). */
  protocol: number;
}>;

/** The answer to `signal` and `leave`: success carries nothing. */
export type SimpleAck = Ack;
/** The answer to `ice-servers`: the servers and how long (seconds, TURN_CREDENTIAL_TTL) their TURN credentials last. */
export type IceServersAck = Ack<{ iceServers: IceServer[]; ttl: number }>;

/**
 * Events a client sends, with their payload and acknowledgement. Each is validated first; a
 * refusal comes back in the ack, or as `protocol-error` when the event was sent without one.
 */
export interface ClientToServerEvents {
  /** Enter a room, or move to another (one room per socket); the ack is required. */
  join: (req: JoinRequest, ack: (res: JoinAck) => void) => void;
  /** Forward SDP, an ICE candidate or a renegotiation request to `req.to`, a peer of the same room. */
  signal: (req: SignalRequest, ack?: (res: SimpleAck) => void) => void;
  /** Leave the current room at once (no resume grace); `not-in-room` when in none. */
  leave: (req: Record<string, never> | undefined, ack?: (res: SimpleAck) => void) => void;
  /** Fresh ICE servers and TURN credentials (clients reuse the join ack's while they are fresh; see docs/web.md). */
  'ice-servers': (req: Record<string, never> | undefined, ack: (res: IceServersAck) => void) => void;
}

/** What a client may send in the handshake's `auth` (see "Joining in the handshake"). */
export interface HandshakeAuth {
  join?: JoinRequest;
}

/** Events the server sends to a client. */
export interface ServerToClientEvents {
  /** The answer to a `join` sent in the handshake (`auth.join`): exactly what the `join` ack would be. */
  joined: (res: JoinAck) => void;
  /** A `signal` from peer `from` of this room, its `data` as sent. */
  signal: (msg: { from: string; data: SignalData }) => void;
  /** A peer entered the room (or was renamed); `resumed` when it rejoined under its previous id. Wait for its offer. */
  'peer-joined': (peer: PeerInfo & { resumed: boolean }) => void;
  /** A peer left the room: by `leave`, an explicit disconnect, its resume grace running out, or (cluster) its node dying. */
  'peer-left': (msg: { id: string }) => void;
  /** An event sent without an ack failed; `event` names it. */
  'protocol-error': (err: ProtocolError & { event: string }) => void;
  /** The server is going away: reconnect (to another node) after `reconnectAfterMs`. */
  'server-shutdown': (msg: { reconnectAfterMs: number }) => void;
}

/** What the server keeps on each socket (`socket.data`), set by a successful `join`. */
export interface SocketData {
  /** The socket's peer id; unset before the first join. */
  peerId?: string;
  /** The room the socket is in; unset before a join and after `leave`. */
  room?: string;
  /** The display name of the last join. */
  name?: string;
}

/** Names of the events a client may send. */
export type ClientEventName = keyof ClientToServerEvents;
/** The events a client may send, in a list. */
export const CLIENT_EVENTS: readonly ClientEventName[] = ['join', 'signal', 'leave', 'ice-servers'];
