/**
 * The terminal as a peer: joins the room through the SDK with werift as its WebRTC, and waits,
 * each within `--wait`, for the server and then for a peer to connect. Every way this can fail
 * ends in a CliError with a one-line reason.
 */
import { joinRoom, type PeerInfo, type Room } from '../web/src/core/index.js';
import type { PeerArgs } from './args.js';
import { printable } from './printable.js';
import { nodeRtc } from './rtc.js';

export class CliError extends Error {}

/** Resolves with what `check` returns once it is not undefined; rejects with `timeout()` after `ms`, or with what `check` throws. */
function until<T>(room: Room, ms: number, check: () => T | undefined, timeout: () => string): Promise<T> {
  return new Promise((resolve, reject) => {
    const finish = (fn: () => void) => {
      clearTimeout(timer);
      off();
      fn();
    };
    const test = () => {
      try {
        const v = check();
        if (v !== undefined) finish(() => resolve(v));
      } catch (err) {
        finish(() => reject(err));
      }
    };
    const timer = setTimeout(() => finish(() => reject(new CliError(timeout()))), ms);
    const off = room.on('change', test);
    test();
  });
}

export async function joinAsPeer(a: PeerArgs): Promise<Room> {
  // Statistics (the path shown at the end) every 250 ms: a transfer may last a second or two.
  const room = joinRoom({ url: a.server, room: a.room, name: a.name, relayOnly: a.relay, statsIntervalMs: 250, rtc: nodeRtc(a.iceAddress), ...(a.token ? { token: a.token } : {}), ...(a.path ? { path: a.path } : {}) });
  try {
    await until(room, a.waitMs, () => {
      switch (room.state) {
        case 'joined':
          return true;
        case 'room-full':
          throw new CliError(`room ${a.room} is full`);
        case 'unauthorized':
          throw new CliError(`the server refused to let us in: ${room.error?.message ?? 'unauthorized'}`);
        default:
          return undefined;
      }
    }, () => (room.state === 'error' ? `the server could not take the join: ${room.error?.message}` : `could not reach the server at ${a.server} within ${a.waitMs / 1000} s`));
  } catch (err) {
    room.leave();
    throw err;
  }
  return room;
}

/**
 * The path (direct or relay) of the connection to `peerId`, once the connection's statistics have
 * been read (every second): a short transfer may end before the first reading. 'unknown' after `ms`.
 */
export function pathTo(room: Room, peerId: string, ms = 3000): Promise<string> {
  return until(room, ms, () => {
    const p = room.peer(peerId)?.path;
    return p && p !== 'unknown' ? p : undefined;
  }, () => 'unknown').catch(() => 'unknown');
}

/** The first peer connected (data channel open), waiting up to `ms` for one. */
export function firstConnectedPeer(room: Room, a: PeerArgs): Promise<PeerInfo> {
  return until(room, a.waitMs, () => room.peers.find((p) => p.state === 'connected'), () => {
    const seen = room.peers;
    return seen.length === 0
      ? `nobody joined room ${a.room} within ${a.waitMs / 1000} s`
      : `could not connect to ${seen.map((p) => `${printable(p.name || p.id)} (${p.state}${p.error ? `: ${p.error}` : ''})`).join(', ')} within ${a.waitMs / 1000} s`;
  });
}
