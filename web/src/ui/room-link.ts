/** The app's room URLs: /r/<room>?t=<token>&relay=1. */
import { ROOM_PATTERN } from 'switchboard/client';

/** What a room URL says: /r/<room>?t=<token>&relay=1 */
export interface RoomLink {
  room: string;
  token: string | null;
  relayOnly: boolean;
}

export function parseRoomUrl(pathname: string, search: string): RoomLink | null {
  const m = /^\/r\/([^/]+)\/?$/.exec(pathname);
  if (!m) return null;
  let room: string;
  try {
    room = decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
  if (!ROOM_PATTERN.test(room)) return null;
  const q = new URLSearchParams(search);
  const relay = q.get('relay');
  return { room, token: q.get('t'), relayOnly: relay === '1' || relay === 'true' };
}

/** The shareable link (the relay switch is not part of it unless asked). */
export function roomUrl(origin: string, link: RoomLink, withRelay = false): string {
  const q = new URLSearchParams();
  if (link.token) q.set('t', link.token);
  if (withRelay && link.relayOnly) q.set('relay', '1');
  const qs = q.toString();
  return `${origin}/r/${encodeURIComponent(link.room)}${qs ? `?${qs}` : ''}`;
}
