/**
 * The SDK's errors: one class, {@link SwitchboardError}, whose `code` comes from a closed set.
 * The server's codes (server/protocol/errors.ts) pass through unchanged; the client adds its own
 * for what it refuses before anything is sent, and for what goes wrong between the peers.
 */
import type { ErrorCode as ServerErrorCode } from '../../../server/protocol/errors.js';

/**
 * Every code a {@link SwitchboardError} can carry.
 *
 * From the server (joins and signaling): `bad-request`, `room-full`, `not-in-room`,
 * `unknown-peer`, `rate-limited`, `unauthorized`, `too-large`, `unavailable`, `not-found`,
 * `internal`.
 *
 * From the client:
 * - `invalid-argument`: a method or option was given something it cannot take (the message names
 *   the argument and what is wrong with it).
 * - `too-large`: a message over {@link MESSAGE_MAX_BYTES}.
 * - `unknown-peer`: `to` names no peer of the room.
 * - `not-connected`: the peer is in the room but its data channel is not open (yet, or any more).
 * - `left`: the room was left; nothing more can be sent.
 * - `connection-failed`: a peer connection could not be made or kept after its retries.
 * - `protocol`: a peer sent a data-channel message that breaks the protocol (it is dropped).
 */
export type ErrorCode = ServerErrorCode | 'invalid-argument' | 'not-connected' | 'left' | 'connection-failed' | 'protocol';

/** An error of the SDK. `code` is from a closed set ({@link ErrorCode}); `peerId` names the peer it concerns, if any. */
export class SwitchboardError extends Error {
  override readonly name = 'SwitchboardError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly peerId?: string,
  ) {
    super(message);
  }
}
