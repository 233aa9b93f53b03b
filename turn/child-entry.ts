/**
 * The relay's child process (forked by child.ts with `--import tsx`). Waits for a `start`
 * message with the config, runs createRelay, answers `stats`, `metrics` and `stop`, forwards allocation
 * events and log lines to the parent. Exits when the parent goes away.
 */
import type { ChildMessage, ParentMessage } from './ipc.js';
import { familiesOf, processRegistry } from './metrics.js';
import type { RelayLogger } from './options.js';
import { createRelay, type TurnRelay } from './relay.js';

function post(m: ChildMessage): void {
  if (process.connected) process.send?.(m);
}

function logAt(level: 'debug' | 'info' | 'warn' | 'error') {
  return (obj: object | string, msg?: string): void => {
    const o = typeof obj === 'string' ? {} : obj;
    const text = typeof obj === 'string' ? obj : (msg ?? '');
    let safe: object = {};
    try {
      safe = JSON.parse(JSON.stringify(o, (_k, v: unknown) => (v instanceof Error ? { message: v.message, stack: v.stack } : v))) as object;
    } catch {
      // unserializable details are dropped, the message is kept
    }
    post({ t: 'log', level, msg: text, obj: safe });
  };
}
const logger: RelayLogger = { debug: logAt('debug'), info: logAt('info'), warn: logAt('warn'), error: logAt('error') };

let relay: TurnRelay | undefined;
// This process's own figures (memory, CPU, descriptors, event loop), for the parent's /metrics.
const processMetrics = processRegistry('relay');

async function handle(m: ParentMessage): Promise<unknown> {
  switch (m.t) {
    case 'start':
      if (relay) throw new Error('already started');
      relay = createRelay(m.config, { ...m.options, logger });
      relay.on('allocation-created', (e) => post({ t: 'event', name: 'allocation-created', payload: e }));
      relay.on('allocation-deleted', (e) => post({ t: 'event', name: 'allocation-deleted', payload: e }));
      return relay.start();
    case 'stats':
      if (!relay) throw new Error('not started');
      return relay.stats();
    case 'metrics':
      return [...(await familiesOf(processMetrics)), ...(relay ? await relay.metrics() : [])];
    case 'reload-tls':
      return relay ? relay.reloadTls() : false;
    case 'stop':
      await relay?.stop();
      setImmediate(() => process.disconnect?.());
      return null;
  }
}

process.on('message', (raw: ParentMessage) => {
  handle(raw).then(
    (value) => post({ t: 'reply', id: raw.id, ok: true, value }),
    (err: unknown) => post({ t: 'reply', id: raw.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});

// The parent went away (or asked to stop): release everything; the event loop then empties.
process.on('disconnect', () => {
  void relay?.stop().finally(() => process.exit(0));
  if (!relay) process.exit(0);
});

process.on('uncaughtException', (err) => {
  logger.error({ err }, 'turn child: uncaught exception, exiting');
  process.exit(1);
});
