/**
 * The toasts of the room page, from the room's public events: someone joined (after this page
 * joined: the roster a join brings comes before its `state` event), left, a connection failed, an
 * error the server reported.
 */
import type { Room } from 'switchboard/client';

export interface Notice {
  kind: 'left' | 'joined' | 'failed' | 'error';
  text: string;
}

export function watchNotices(room: Room, notify: (n: Notice) => void): () => void {
  let joined = room.state === 'joined';
  const offs = [
    room.on('state', (s) => void (joined = s === 'joined' || (joined && s === 'reconnecting'))),
    room.on('peer-joined', (p) => joined && notify({ kind: 'joined', text: `${p.name || 'Someone'} joined` })),
    room.on('peer-left', (p) => notify({ kind: 'left', text: `${p.name || 'A peer'} left the room` })),
    room.on('error', (e) => {
      if (e.code === 'connection-failed') notify({ kind: 'failed', text: `Connection to ${room.peer(e.peerId ?? '')?.name || e.peerId} failed` });
      else if (e.code !== 'room-full' && e.code !== 'unauthorized') notify({ kind: 'error', text: e.message });
    }),
  ];
  return () => offs.forEach((off) => off());
}
