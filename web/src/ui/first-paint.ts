/**
 * When a room page is built. The first layout of a new page is expensive (measured 100-150 ms of
 * style and layout on a 2-core machine, most of it the first use of the fonts), and the main
 * thread is where the signaling socket's and the peer connection's events are handled: built while
 * the call is being set up, the page delays the call by that much. So the page waits until the
 * first connections have settled: the room joined and no link still connecting (or anything else:
 * full, unauthorized, unreachable), and at most `capMs`; then in an idle period, so that what the
 * connection does next (its first messages on the channel) goes first.
 */
import type { Room } from 'switchboard/client';

/** How long the page waits at most for the first connections. */
export const FIRST_PAINT_CAP_MS = 1000;
/** ... and for an idle period after that. */
const IDLE_TIMEOUT_MS = 100;

export function settled(room: Room): boolean {
  if (room.state === 'connecting') return false;
  if (room.state !== 'joined') return true;
  return !room.peers.some((p) => p.state === 'connecting');
}

export function whenSettled(room: Room, run: () => void, capMs = FIRST_PAINT_CAP_MS): void {
  let done = false;
  const go = () => {
    if (done) return;
    done = true;
    stop();
    clearTimeout(timer);
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => run(), { timeout: IDLE_TIMEOUT_MS });
    else setTimeout(run, 0);
  };
  const stop = room.on('change', () => {
    if (settled(room)) go();
  });
  const timer = setTimeout(go, capMs);
  if (settled(room)) go();
}
