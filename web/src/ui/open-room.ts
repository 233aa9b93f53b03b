/**
 * Opens a room through the public SDK, before any of the page is built, so the connection work
 * (the Socket.IO connection joining in its handshake, the first offer) starts as early as the
 * page allows.
 */
import { joinRoom, type Room } from 'switchboard/client';
import type { Boot } from '../boot.js';
import type { RoomLink } from './room-link.js';
import { guestName, savedName } from './prefs.js';

export function openRoom(link: RoomLink, boot: Boot): Room {
  const room = joinRoom({
    url: location.origin,
    room: link.room,
    name: (savedName() ?? guestName()).slice(0, 64),
    ...(link.token ? { token: link.token } : {}),
    relayOnly: link.relayOnly,
    ...(boot.iceServers ? { iceServers: boot.iceServers } : {}),
  });
  addEventListener('pagehide', () => room.leave());
  return room;
}
