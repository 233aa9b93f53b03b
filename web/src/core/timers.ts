/** A pending timeout, or none. */
export type Timer = ReturnType<typeof setTimeout> | null;

/** Stops a pending timer; returns null to store in its place (`this.t = cancel(this.t)`). */
export function cancel(timer: Timer): null {
  if (timer !== null) clearTimeout(timer);
  return null;
}
