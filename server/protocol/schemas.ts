/**
 * Runtime validation of every client -> server payload. Schemas are strict: unknown keys are
 * rejected, so a typo in a client shows as `bad-request` instead of being silently ignored.
 */
import { z } from 'zod';

/** Room names: 1-64 characters of A-Z a-z 0-9 _ -. */
export const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** A room name: 1-64 characters of A-Z a-z 0-9 _ -. */
export const roomName = z.string().regex(ROOM_PATTERN, 'room must be 1-64 characters of A-Z a-z 0-9 _ -');
/** Peer ids: 8-64 characters of A-Z a-z 0-9 _ -. */
export const PEER_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
/** A peer id: 8-64 characters of A-Z a-z 0-9 _ -. */
export const peerId = z.string().regex(PEER_ID_PATTERN, 'peer id must be 8-64 characters of A-Z a-z 0-9 _ -');
/** Display names: at most 64 characters, no control characters. */
export const displayName = z
  .string()
  .max(64, 'name must be at most 64 characters')
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'name must not contain control characters');

/**
 * One rule for optional fields, everywhere in the protocol: absent or `null` (what JSON encoders
 * of other languages write for "none", and what the W3C API itself uses for a candidate's sdpMid).
 * In a request to the server, `null` means absent; in signal data it is forwarded as sent.
 */
const absent = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

/** The `join` payload. */
export const joinRequest = z.strictObject({
  room: roomName,
  name: absent(displayName),
  /** Room token, required when the server has ROOM_SECRET. */
  token: absent(z.string().max(4096)),
  /** Rejoin under a previous peer id (after a reconnect or a server restart). */
  resume: absent(z.strictObject({ peerId, key: z.string().max(128) })),
  /** The protocol version the client speaks (version.ts); absent is 1. */
  protocol: absent(z.number().int().min(1).max(65535)),
});

const sdp = z.string().max(1 << 20);
// An offer, answer or pranswer without its SDP is nothing a peer could apply: refused, not
// forwarded. Only a rollback (RTCSessionDescriptionInit { type: 'rollback' }) goes without.
const description = z.strictObject({ type: z.enum(['offer', 'answer', 'pranswer']), sdp: z.string({ error: 'an offer, answer or pranswer needs its sdp' }).max(1 << 20) });
const rollback = z.strictObject({ type: z.literal('rollback'), sdp: sdp.nullish() });
const sessionDescription = z.union([description, rollback]);
/** Bounds of an ICE candidate's fields (also read by the hot-path pre-check, fast-candidate.ts). */
export const CANDIDATE_MAX = { candidate: 1024, sdpMid: 64, sdpMLineIndex: 1024, usernameFragment: 256 } as const;
const iceCandidate = z.strictObject({
  type: z.literal('candidate'),
  candidate: z.strictObject({
    candidate: z.string().max(CANDIDATE_MAX.candidate),
    sdpMid: z.string().max(CANDIDATE_MAX.sdpMid).nullable().optional(),
    sdpMLineIndex: z.number().int().min(0).max(CANDIDATE_MAX.sdpMLineIndex).nullable().optional(),
    usernameFragment: z.string().max(CANDIDATE_MAX.usernameFragment).nullable().optional(),
  }),
});
// simple-peer sends these with a `type` too ({ type: 'renegotiate', renegotiate: true }); other
// clients send the bare form. Both are accepted.
const renegotiate = z.strictObject({ type: z.literal('renegotiate').nullish(), renegotiate: z.literal(true) });
const transceiverRequest = z.strictObject({
  type: z.literal('transceiverRequest').nullish(),
  transceiverRequest: z.strictObject({
    kind: z.enum(['audio', 'video']),
    init: z.strictObject({ direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).nullish() }).nullish(),
  }),
});

/**
 * Non-initiator -> initiator: this side's ICE went `failed` (or `disconnected` too long), or its
 * network changed; please restart ICE on the same connection (an offer with new ICE credentials,
 * RFC 8445 section 9; the W3C `restartIce()`). Sent over signaling, as the data channel may be
 * unusable then.
 */
const iceRestart = z.strictObject({ iceRestart: z.literal(true) });

/**
 * What `signal.data` may carry: exactly the messages simple-peer (and any plain RTCPeerConnection
 * client) exchanges, and the ICE restart request. Anything else is `bad-request`.
 */
export const signalData = z.union([sessionDescription, iceCandidate, renegotiate, transceiverRequest, iceRestart]);

/**
 * The same check as `signalData`, but choosing the one variant to try from the payload's shape.
 * `signal` is the hot path (every ICE candidate), and a union that tries and fails variants builds
 * error objects for each miss.
 */
const signalDataByShape = z.custom<z.infer<typeof signalData>>().superRefine((v, ctx) => {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  const schema =
    o.type === 'candidate' ? iceCandidate
    : 'renegotiate' in o ? renegotiate
    : 'transceiverRequest' in o ? transceiverRequest
    : 'iceRestart' in o ? iceRestart
    : o.type === 'rollback' ? rollback
    : 'type' in o ? description
    : undefined;
  if (!schema) {
    ctx.addIssue({ code: 'custom', message: 'data must be an SDP description, an ICE candidate, or a renegotiation request' });
    return;
  }
  const r = schema.safeParse(v);
  if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ ...issue, code: 'custom', message: issue.message, path: issue.path });
});

/** The `signal` payload: the recipient's peer id and the data to forward. */
export const signalRequest = z.strictObject({ to: peerId, data: signalDataByShape });

/** `leave` and `ice-servers` carry no payload (or an empty object). */
export const emptyRequest = z.union([z.undefined(), z.null(), z.strictObject({})]);

/**
 * The `join` payload: `room` (1-64 characters of A-Z a-z 0-9 _ -), optional `name` (at most 64
 * characters, no control characters), `token` (required when the server has ROOM_SECRET) and
 * `resume` (`{ peerId, key }` from an earlier {@link JoinAck}, to rejoin under the same peer id)
 * and `protocol` (the version the client speaks, `PROTOCOL_VERSION`; absent is 1; a version
 * the server does not speak is refused with `bad-request`). Unknown keys are refused.
 *
 * @useDeclaredType
 */
export type JoinRequest = z.input<typeof joinRequest>;
/** A join as the handler gets it: validated, `null` fields read as absent. */
export type ParsedJoinRequest = z.output<typeof joinRequest>;
/**
 * What `signal` carries between two peers: an SDP description (`offer`, `answer`, `pranswer`,
 * `rollback`), an ICE candidate (`{ type: 'candidate', candidate }`), a renegotiation request
 * (`{ renegotiate: true }` or `{ transceiverRequest }`), or an ICE restart request
 * (`{ iceRestart: true }`, from the side that did not make the offer). As JSON it may take at most
 * SIGNAL_MAX_BYTES (default 64 KiB; larger is `too-large`).
 *
 * @useDeclaredType
 */
export type SignalData = z.infer<typeof signalData>;
/**
 * The `signal` payload: `to`, a peer id in the sender's room, and the {@link SignalData} to forward.
 *
 * @useDeclaredType
 */
export type SignalRequest = z.infer<typeof signalRequest>;
