/** A tiny typed event emitter (no DOM, no Node). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (...args: any[]) => void;

export class Emitter<E extends { [K in keyof E]: unknown[] }> {
  private readonly handlers = new Map<keyof E, Set<Handler>>();

  on<K extends keyof E>(event: K, fn: (...args: E[K]) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  off<K extends keyof E>(event: K, fn: (...args: E[K]) => void): void {
    this.handlers.get(event)?.delete(fn);
  }

  /** @internal Calls every listener of `event`; a listener that throws is logged, the others still run. */
  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    for (const fn of [...(this.handlers.get(event) ?? [])]) {
      try {
        fn(...args);
      } catch (err) {
        console.error(`[switchboard] ${String(event)} handler failed`, err);
      }
    }
  }
}
