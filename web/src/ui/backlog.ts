/**
 * Events the room page shows but the room does not keep (toasts, the blobs of received files),
 * held from the moment the room opens until its page is built (ui/first-paint.ts), then replayed.
 */
import type { FileTransfer, Room } from 'switchboard/client';
import { type Notice, watchNotices } from './notices.js';

export type { Notice };

export interface Backlog {
  /** Stops holding; returns what came meanwhile. */
  release(): { notices: Notice[]; received: Array<[FileTransfer, Blob]> };
}

export function holdBacklog(room: Room): Backlog {
  const notices: Notice[] = [];
  const received: Array<[FileTransfer, Blob]> = [];
  const offs = [watchNotices(room, (n) => notices.push(n)), room.on('file-received', (info, blob) => received.push([info, blob]))];
  return {
    release() {
      for (const off of offs) off();
      return { notices, received };
    },
  };
}
