/**
 * What stops this process's event loop: a 2 ms timer that fires more than 6 ms late is a stall
 * (the loop was busy, in GC, or the VM was not running), recorded on the machine's clock (ms since
 * the epoch) so two processes' records line up. The timer is unref'd: it keeps nothing alive.
 */
const TICK_MS = 2;
const LATE_MS = 6;

export interface Stall {
  at: number;
  ms: number;
}

export function watchStalls(): Stall[] {
  const stalls: Stall[] = [];
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last > LATE_MS) stalls.push({ at: performance.timeOrigin + last, ms: now - last });
    last = now;
  }, TICK_MS).unref();
  return stalls;
}
