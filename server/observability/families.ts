/**
 * Metric families whose samples prom-client does not hold in the app's registry: the server
 * process's default metrics (one registry per process, shared by every app in it), the relay
 * child's (forwarded over its IPC channel), and the signal latency histogram (kept in a plain
 * array: it is observed on the hot path). Each is registered in the app's registry as a
 * read-through family, so GET /metrics stays one registry's output, prom-client's serializer
 * writes it, the registry's default label (the node) lands on every series, and a family that
 * both processes report (process_resident_memory_bytes) comes out once with both series.
 */
import type { Metric, Registry } from 'prom-client';
import { z } from 'zod';
import type { MetricFamily } from '../../turn/types.js';

type Values = MetricFamily['values'];
/** A family's name, help, type and the label names its samples may carry (besides the registry's `node`). */
export type Head = Pick<MetricFamily, 'name' | 'help' | 'type'> & { labelNames?: readonly string[] | undefined };

/**
 * What prom-client's Registry needs of a metric to serialize it: a name, and `get()` resolving
 * to the family with its samples (registry.js getMetricsAsString and getMetricsAsJSON).
 */
class ReadThrough {
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  readonly type: MetricFamily['type'];
  /** As prom-client's metrics have it (docs/operations.md's table is made from these). */
  readonly labelNames: readonly string[];

  constructor(
    head: Head,
    private readonly read: () => Promise<Values>,
  ) {
    this.name = head.name;
    this.help = head.help;
    this.type = head.type;
    this.labelNames = head.labelNames ?? [];
  }

  async get(): Promise<MetricFamily & { aggregator: string }> {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: await this.read() };
  }

  /** Registry.resetMetrics(): the samples belong to their source, nothing to reset here. */
  reset(): void {}
}

/** Registers `head` in `registry`; each scrape reads its samples from `read`. */
export function registerReadThrough(registry: Registry, head: Head, read: () => Promise<Values>): void {
  registry.registerMetric(new ReadThrough(head, read) as unknown as Metric);
}

/**
 * A histogram without labels whose `observe` costs a few comparisons and no allocation, for the
 * signal hot path (prom-client's observe hashes labels and builds objects, ~300 ns a call here).
 */
export class FastHistogram {
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(
    readonly name: string,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(seconds: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && seconds > b[i]!) i++;
    this.counts[i]!++;
    this.sum += seconds;
    this.count++;
  }

  /** The samples in prom-client's JSON form: cumulative `_bucket`s, `_sum`, `_count`. */
  values(): Values {
    const out: Values = [];
    let acc = 0;
    this.bounds.forEach((le, i) => {
      acc += this.counts[i]!;
      out.push({ metricName: `${this.name}_bucket`, labels: { le }, value: acc });
    });
    out.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf' }, value: this.count });
    out.push({ metricName: `${this.name}_sum`, labels: {}, value: this.sum });
    out.push({ metricName: `${this.name}_count`, labels: {}, value: this.count });
    return out;
  }
}

const metricName = z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
const family = z.object({
  name: metricName,
  help: z.string().max(1000),
  type: z.enum(['counter', 'gauge', 'histogram', 'summary']),
  values: z
    .array(
      z.object({
        // NaN and ±Inf are values too (an event-loop mean before its first sample is NaN).
        value: z.custom<number>((v) => typeof v === 'number', 'must be a number'),
        labels: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.union([z.string().max(200), z.number()])),
        metricName: metricName.optional(),
      }),
    )
    .max(10_000),
});
const families = z.array(family).max(1000);

/**
 * Families from another process (the relay child), checked before they are served: a malformed
 * answer is refused as a whole (null) rather than written into the exposition.
 */
export function parseFamilies(raw: unknown): MetricFamily[] | null {
  const r = families.safeParse(raw);
  return r.success ? r.data : null;
}

/** The samples of family `name` in `list`, or none. */
export function samplesOf(list: readonly MetricFamily[] | null, name: string): Values {
  return list?.find((f) => f.name === name)?.values ?? [];
}

/**
 * The relay's families for one scrape, or null (no relay, one without `metrics`, no answer within
 * `timeoutMs`, a malformed answer): a hung relay child leaves its series out of the scrape
 * instead of holding it past Prometheus's scrape timeout.
 */
export async function relayFamilies(relay: { metrics?(): Promise<MetricFamily[]> } | undefined, timeoutMs: number): Promise<MetricFamily[] | null> {
  if (!relay?.metrics) return null;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  try {
    return parseFamilies(await Promise.race([relay.metrics().catch(() => null), late]));
  } finally {
    clearTimeout(timer);
  }
}
