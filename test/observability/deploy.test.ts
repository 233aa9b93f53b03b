/**
 * deploy/grafana/switchboard.json and deploy/prometheus/alerts.yml against a real server: a
 * cluster node (Redis) with its embedded relay, after traffic that gives every labelled family
 * samples. Every expression must name only series that server exports, with label names those
 * series carry; promtool checks the rules and runs their unit tests (alerts.test.yml). And
 * docs/operations.md's metrics table is that scrape: every family, its type, labels and help.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Registry } from 'prom-client';
import { parse as parseYaml } from 'yaml';
import { createCluster } from '../../server/cluster/index.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import { cleanup, startRedis } from '../cluster/support/services.js';
import { until } from '../signaling/harness.js';
import { REPO_ROOT } from '../support/server.js';
import type { Family } from '../support/prom-text.js';
import { dashboardExpressions, references } from './promql.js';
import { exercise, NODE_ID, promtool, startRelayServer } from './scrape.js';

const RULES = `${REPO_ROOT}deploy/prometheus/alerts.yml`;
const DASHBOARD = `${REPO_ROOT}deploy/grafana/switchboard.json`;

let scraped: Map<string, Family>;
let registry: Registry;
afterAll(cleanup);
beforeAll(async () => {
  const redis = await startRedis();
  const env = { REDIS_URL: redis.url };
  const cluster = createCluster({ ...loadConfig({ ...env, NODE_ID }), redisUrl: redis.url }, createLogger('silent'), { prefix: 'deploy-test:' });
  const srv = await startRelayServer(env, cluster.deps);
  registry = srv.app.metrics.registry;
  await exercise(srv);
  // GC durations appear once a collection happened: garbage for a few scavenges in this process
  // (the server's), then the observer's report, which comes asynchronously.
  let sink = 0;
  for (let i = 0; i < 200; i++) sink += new Array<number>(100_000).fill(i).length;
  expect(sink).toBe(20_000_000);
  await until(async () => {
    scraped = (await srv.scrape()).families;
    return (scraped.get('nodejs_gc_duration_seconds')?.samples.length ?? 0) > 0;
  }, 'a GC duration sample', 10_000);
}, 60_000);

/** Series name -> the label names its samples carry. */
function seriesLabels(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const f of scraped.values()) {
    for (const s of f.samples) {
      const set = out.get(s.name) ?? new Set<string>();
      for (const l of Object.keys(s.labels)) set.add(l);
      out.set(s.name, set);
    }
  }
  return out;
}

/** The problems of one expression; none when every name is exported with the labels used. */
function problems(where: string, expr: string): string[] {
  const series = seriesLabels();
  const allLabels = new Set([...series.values()].flatMap((s) => [...s]).concat('le'));
  const refs = references(expr);
  const out: string[] = [];
  if (refs.metrics.length === 0) out.push(`${where}: names no metric: ${expr}`);
  for (const m of refs.metrics) if (!series.has(m)) out.push(`${where}: ${m} is not exported`);
  for (const [m, l] of refs.matchers) if (series.has(m) && !series.get(m)!.has(l)) out.push(`${where}: ${m} has no label ${l}`);
  for (const l of refs.grouping) if (!allLabels.has(l)) out.push(`${where}: no series has the label ${l} it groups by`);
  return out;
}

describe('deploy/ monitoring files', () => {
  it('the checker itself finds names, skips functions, numbers and labels, and reports what is missing', () => {
    expect(references('histogram_quantile(0.99, sum by (node, le) (rate(x_bucket{result="a,b", node=~"$node"}[5m]))) > 300e6 and y offset 1h')).toEqual({
      metrics: ['x_bucket', 'y'],
      matchers: [['x_bucket', 'result'], ['x_bucket', 'node']],
      grouping: ['node', 'le'],
    });
    expect(problems('test', 'rate(switchboard_no_such_thing_total[5m])')).toEqual(['test: switchboard_no_such_thing_total is not exported']);
    expect(problems('test', 'process_open_fds{proces="relay"}')).toEqual(['test: process_open_fds has no label proces']);
    expect(problems('test', 'sum by (nod) (process_open_fds)')).toEqual(['test: no series has the label nod it groups by']);
    expect(problems('test', 'vector(1)')).toEqual(['test: names no metric: vector(1)']);
  });

  it('alerts.yml: promtool check rules and its unit tests pass; every expression names exported metrics', () => {
    const check = promtool(['check', 'rules', RULES]);
    expect(check.status, check.output).toBe(0);
    const unit = promtool(['test', 'rules', `${REPO_ROOT}deploy/prometheus/alerts.test.yml`]);
    expect(unit.status, unit.output).toBe(0);
    expect(unit.output).toContain('SUCCESS');

    const doc = parseYaml(readFileSync(RULES, 'utf8')) as { groups: Array<{ rules: Array<{ alert?: string; expr: string }> }> };
    const rules = doc.groups.flatMap((g) => g.rules);
    const names = rules.map((r) => r.alert);
    for (const wanted of ['SwitchboardEventLoopLagHigh', 'SwitchboardJoinErrorRateHigh', 'SwitchboardTurnAllocationsNearQuota', 'SwitchboardRssGrowth', 'SwitchboardRedisUnreachable']) {
      expect(names).toContain(wanted);
    }
    // Every alert has a unit test case.
    const tests = readFileSync(`${REPO_ROOT}deploy/prometheus/alerts.test.yml`, 'utf8');
    for (const n of names) expect(tests, `${n} in alerts.test.yml`).toContain(`alertname: ${n}\n`);
    expect(rules.flatMap((r) => problems(r.alert ?? 'record', r.expr))).toEqual([]);
  });

  it('the Grafana dashboard parses, and every panel and variable query names exported metrics', () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { uid: string; panels: unknown[] };
    expect(dashboard.uid).toBe('switchboard');
    const { exprs, variables } = dashboardExpressions(dashboard);
    expect(exprs.length).toBeGreaterThanOrEqual(15);
    expect(exprs.flatMap((e, i) => problems(`panel expression ${i}`, e))).toEqual([]);
    // Variables: label_values(metric, label), the metric exported with that label.
    expect(variables.length).toBeGreaterThan(0);
    const series = seriesLabels();
    for (const v of variables) {
      const m = /^label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$/.exec(v);
      expect(m, v).not.toBeNull();
      expect(series.get(m![1]!)?.has(m![2]!), v).toBe(true);
    }
    // The panels cover both processes, the relay and the cluster.
    const all = exprs.join('\n');
    for (const name of ['process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds', 'switchboard_turn_allocate_seconds_bucket', 'switchboard_signal_forward_seconds_bucket', 'switchboard_redis_up']) {
      expect(all).toContain(name);
    }
  });
});

/** What the registry declares of each family: its type, help and label names. */
function declared(): Array<{ name: string; type: string; help: string; labelNames: string[] }> {
  return registry.getMetricsAsArray().map((m) => {
    const x = m as unknown as { name: string; type: string; help: string; labelNames?: string[] };
    return { name: x.name, type: String(x.type), help: x.help, labelNames: [...(x.labelNames ?? [])].sort() };
  });
}

/** The reference table, made from the registry: name, type, label names (all but node), help. */
function metricsTable(): string {
  const rows = declared()
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((f) => `| \`${f.name}\` | ${f.type} | ${f.labelNames.map((l) => `\`${l}\``).join(', ') || '-'} | ${f.help.replace(/\|/g, '\\|')} |`);
  return ['| metric | type | labels | what |', '|---|---|---|---|', ...rows].join('\n');
}

describe('docs/operations.md', () => {
  it('the registry declares what /metrics serves: the same families, types, and every label a sample carries', () => {
    const fams = declared();
    expect(fams.map((f) => f.name).sort()).toEqual([...scraped.keys()].sort());
    for (const f of fams) {
      const got = scraped.get(f.name)!;
      expect(got.type, f.name).toBe(f.type);
      expect(got.help, f.name).toBe(f.help);
      const allowed = new Set([...f.labelNames, 'node', 'le']);
      for (const s of got.samples) for (const l of Object.keys(s.labels)) expect(allowed.has(l), `${s.name} label ${l}`).toBe(true);
    }
  });

  it('its metrics table is the registry: every family with its type, labels and help, and nothing else', () => {
    const doc = readFileSync(`${REPO_ROOT}docs/operations.md`, 'utf8');
    const m = /<!-- metrics-table:start -->\n([\s\S]*?)\n<!-- metrics-table:end -->/.exec(doc);
    expect(m, 'docs/operations.md has <!-- metrics-table:start --> ... <!-- metrics-table:end -->').not.toBeNull();
    const want = metricsTable();
    // The table as it should be, for pasting when a metric was added or changed.
    if (m![1] !== want) writeFileSync(`${REPO_ROOT}.tmp/operations-metrics-table.md`, `${want}\n`);
    expect(m![1], 'the table differs from the registry: the expected one is in .tmp/operations-metrics-table.md').toBe(want);
    expect(want.split('\n').length).toBeGreaterThan(40);
  });
});
