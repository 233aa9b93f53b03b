/**
 * Opens a room: the Socket.IO connection (joining in its handshake) and simple-peer, before any of
 * the page is built, so the connection work starts as early as the page allows.
 */
import SimplePeer from 'simple-peer';
import { io } from 'socket.io-client';
import type { Boot } from '../boot.js';
import type { RoomLink } from '../core/names.js';
import type { PeerFactory } from '../core/peer-link.js';
import { Room } from '../core/room.js';
import type { SocketLike } from '../core/signaling.js';
import { guestName, savedName } from './prefs.js';

const peerFactory: PeerFactory = ({ initiator, config, streams }) =>
  new SimplePeer({ initiator, config, streams, trickle: true, objectMode: true }) as never;

export function openRoom(link: RoomLink, boot: Boot): Room {
  // The handshake carries the current join request (with `resume` after a reconnect): Socket.IO
  // calls `auth` on every connection attempt, by which time `room` is set.
  let room: Room | undefined;
  const auth = (cb: (data: object) => void) => cb(room ? { join: room.handshakeJoinRequest() } : {});
  room = new Room({
    room: link.room,
    name: savedName() ?? guestName(),
    token: link.token,
    relayOnly: link.relayOnly,
    socket: io({ autoConnect: false, reconnection: false, transports: ['websocket', 'polling'], tryAllTransports: true, auth }) as unknown as SocketLike,
    joinInHandshake: true,
    iceServers: boot.iceServers,
    peerFactory,
  });
  room.start();
  addEventListener('pagehide', () => room!.leave());
  return room;
}
