/**
 * The page's network changes, as the browser reports them: `online` (back from offline) and,
 * where it exists (Chromium), a `change` of `navigator.connection` (a new network type or
 * path). Either restarts ICE on every link (ice-restart.ts): candidates gathered on the old
 * network are of no use on the new one. Elsewhere (Node.js, a worker) there is nothing to watch.
 */
export function browserNetworkChanges(onChange: () => void): () => void {
  const w = typeof window !== 'undefined' ? (window as unknown as EventTarget) : null;
  const conn = typeof navigator !== 'undefined' ? (navigator as unknown as { connection?: EventTarget }).connection : undefined;
  const target = conn && typeof conn.addEventListener === 'function' ? conn : null;
  const fn = () => onChange();
  if (w && typeof w.addEventListener === 'function') w.addEventListener('online', fn);
  target?.addEventListener('change', fn);
  return () => {
    if (w && typeof w.removeEventListener === 'function') w.removeEventListener('online', fn);
    target?.removeEventListener('change', fn);
  };
}
