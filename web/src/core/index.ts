/**
 * `switchboard/client`: join a Switchboard room from a browser (or from Node.js with a WebRTC
 * implementation passed as `rtc`) and talk to everyone in it over peer-to-peer data channels and
 * media, with the server's STUN/TURN relay as the fallback path.
 *
 * Start with {@link joinRoom}; the README's "Use it in your app" has a whole page in 12 lines
 * (examples/vite-chat/main.js, which the tests build and run in Chromium).
 *
 * Everything exported here is the public API; nothing else in the package is.
 * @module switchboard/client
 */
export { joinRoom, type Room } from './client.js';
export { SwitchboardError, type ErrorCode } from './errors.js';
export { MESSAGE_MAX_BYTES } from './framing.js';
export { ROOM_PATTERN } from './join-options.js';
export type { JsonValue, Message, MessageData } from './messages.js';
export type {
  ConnectionInfo,
  FileInput,
  FileTransfer,
  IceServer,
  JoinRoomOptions,
  MediaState,
  PathKind,
  PathStats,
  PeerInfo,
  PeerRecovery,
  PeerState,
  RecoveryStats,
  RestartReason,
  RoomEventMap,
  RoomState,
  RtcImplementation,
  SendOptions,
} from './client-types.js';
export type { TransferState } from './transfer.js';
export type { VideoLimits } from './video-limits.js';
