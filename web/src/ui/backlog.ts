/**
 * Events the room page shows but the room does not keep (toasts, the blobs of received files),
 * held from the moment the room opens until its page is built (ui/first-paint.ts), then replayed.
 */
import type { Room, RoomEvents } from '../core/room.js';
import type { TransferInfo } from '../core/transfer.js';

export type Notice = RoomEvents['notice'][0];

export interface Backlog {
  /** Stops holding; returns what came meanwhile. */
  release(): { notices: Notice[]; received: Array<[TransferInfo, Blob]> };
}

export function holdBacklog(room: Room): Backlog {
  const notices: Notice[] = [];
  const received: Array<[TransferInfo, Blob]> = [];
  const offs = [room.on('notice', (n) => notices.push(n)), room.on('received', (info, blob) => received.push([info, blob]))];
  return {
    release() {
      for (const off of offs) off();
      return { notices, received };
    },
  };
}
