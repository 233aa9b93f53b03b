/**
 * The relay's own Prometheus metrics (prom-client), one Registry per relay: how long Allocate
 * takes to answer, and every error answer by method and code. A relay in a child process also
 * reports that process's default metrics (memory, CPU, file descriptors, event loop, GC),
 * labelled `process="relay"` (see {@link processRegistry}); whoever serves /metrics merges them.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { Method } from './stun/constants.js';
import type { ClientTransport } from './transport/conn.js';
import type { MetricFamily } from './types.js';

/**
 * Allocate answered, seconds. A 401 challenge or a refusal is answered in microseconds; a
 * success binds a UDP port (a system call or a few, retried on a taken port), well under a
 * millisecond on an idle relay. The buckets run from 100 µs to 1 s so a relay whose event loop
 * is saturated shows up in the upper ones.
 */
export const ALLOCATE_BUCKETS: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** Method names for the `method` label: a closed set, anything else is `other`. */
const METHODS: ReadonlyMap<number, string> = new Map([
  [Method.Binding, 'binding'],
  [Method.Allocate, 'allocate'],
  [Method.Refresh, 'refresh'],
  [Method.CreatePermission, 'create-permission'],
  [Method.ChannelBind, 'channel-bind'],
]);

/** The families a relay reports besides its process's (name, type, help), known before any scrape. */
export const RELAY_FAMILIES: ReadonlyArray<Pick<MetricFamily, 'name' | 'type' | 'help'> & { labelNames: readonly string[] }> = [
  {
    name: 'switchboard_turn_allocate_seconds',
    type: 'histogram',
    labelNames: ['transport', 'result'],
    help: 'TURN Allocate requests answered, from arrival to the answer sent, by client transport and result (success or error; the first Allocate of a client is a 401 challenge)',
  },
  {
    name: 'switchboard_turn_error_responses_total',
    type: 'counter',
    labelNames: ['method', 'code'],
    help: 'TURN error responses sent, by request method and STUN error code (4xx: refused requests, 5xx: server trouble); a retransmission answered from the transaction cache is not counted again',
  },
];

export class RelayMetrics {
  readonly registry = new Registry();
  private readonly allocate: Histogram<'transport' | 'result'>;
  private readonly errors: Counter<'method' | 'code'>;

  constructor() {
    const registers = [this.registry];
    const [allocate, errors] = RELAY_FAMILIES as [(typeof RELAY_FAMILIES)[0], (typeof RELAY_FAMILIES)[0]];
    this.allocate = new Histogram({ name: allocate.name, help: allocate.help, labelNames: allocate.labelNames as Array<'transport' | 'result'>, buckets: [...ALLOCATE_BUCKETS], registers });
    this.errors = new Counter({ name: errors.name, help: errors.help, labelNames: errors.labelNames as Array<'method' | 'code'>, registers });
  }

  /** An answer to an Allocate request was sent `seconds` after the request arrived. */
  allocateAnswered(transport: ClientTransport, error: boolean, seconds: number): void {
    this.allocate.observe({ transport, result: error ? 'error' : 'success' }, seconds);
  }

  /** An error response with `code` (RFC 8489 section 14.8) to a request of `method`. */
  errorAnswer(method: number, code: number): void {
    this.errors.inc({ method: METHODS.get(method) ?? 'other', code: String(code) });
  }

  /** Every family, as prom-client's JSON (what crosses the IPC channel). */
  families(): Promise<MetricFamily[]> {
    return familiesOf(this.registry);
  }
}

/**
 * A registry's families as prom-client's JSON, typed as they are at run time (its typings declare
 * `type` a numeric enum; the value is the string `counter`, `gauge`...).
 */
export async function familiesOf(registry: Registry): Promise<MetricFamily[]> {
  return (await registry.getMetricsAsJSON()).map((f) => ({
    name: f.name,
    help: f.help,
    type: String(f.type) as MetricFamily['type'],
    values: f.values as MetricFamily['values'],
  }));
}

/**
 * A registry with prom-client's default metrics for this process, each series labelled
 * `process` (`server` or `relay`), so the signaling server's and the relay child's figures of the
 * same name are told apart on one endpoint. Call once per process: the collectors (an event-loop
 * delay monitor, a GC observer) live as long as the process, which is what they measure.
 */
export function processRegistry(process: 'server' | 'relay'): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, labels: { process } });
  return registry;
}
