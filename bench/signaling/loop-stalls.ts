/**
 * What stops this process's event loop: a 2 ms timer whose ticks come more than 6 ms apart (the
 * loop was busy, in GC, or the VM was not running). Each stall is recorded as the whole gap, from
 * the tick before it, on the machine's clock (ms since the epoch) so two processes' records line
 * up. The timer is unref'd: it keeps nothing alive. It costs 500 wake-ups a second, so a process
 * watched this way is not quite the process the signaling benchmark measures.
 */
const TICK_MS = 2;
const GAP_MS = 6;

export interface Stall {
  at: number;
  ms: number;
}

export function watchStalls(): Stall[] {
  const stalls: Stall[] = [];
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last > GAP_MS) stalls.push({ at: performance.timeOrigin + last, ms: now - last });
    last = now;
  }, TICK_MS).unref();
  return stalls;
}
