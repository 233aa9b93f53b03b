/**
 * Per-allocation bandwidth cap (TURN_MAX_BPS): a token bucket in bytes, refilled lazily from the
 * clock, with one second of burst. Packets that do not fit are dropped, never queued.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;
  private readonly rate: number;

  constructor(bitsPerSecond: number, private readonly now: () => number) {
    this.rate = bitsPerSecond / 8 / 1000; // bytes per ms
    this.tokens = bitsPerSecond / 8;
    this.at = now();
  }

  take(bytes: number): boolean {
    const t = this.now();
    const cap = this.rate * 1000;
    if (t > this.at) {
      this.tokens = Math.min(cap, this.tokens + (t - this.at) * this.rate);
      this.at = t;
    }
    if (this.tokens < bytes) return false;
    this.tokens -= bytes;
    return true;
  }
}
