/**
 * GET /metrics as an operator's Prometheus sees it (issue 21): strictly parsed (and by promtool),
 * the server's and the relay child's process and runtime metrics told apart by `process`, the
 * latency histograms, the relay's error answers by code, `node` on every series, and no label
 * value that a client chose.
 */
import { describe, expect, it } from 'vitest';
import type { RelayPool } from '../../turn/pool.js';
import { until } from '../signaling/harness.js';
import { samples, value, type Family } from '../support/prom-text.js';
import { exercise, NODE_ID, promtool, startRelayServer } from './scrape.js';

/** prom-client's default metrics, asked for by name in both processes. */
const PROCESS_SERIES = [
  'process_resident_memory_bytes',
  'process_cpu_seconds_total',
  'process_open_fds',
  'process_max_fds',
  'process_start_time_seconds',
  'nodejs_heap_size_used_bytes',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_active_handles_total',
];

/** A histogram's buckets are cumulative, end in +Inf, and +Inf equals _count. */
function checkHistogram(families: Map<string, Family>, name: string, match: Record<string, string>): number {
  const buckets = samples(families, `${name}_bucket`, match);
  expect(buckets.length, `${name} buckets ${JSON.stringify(match)}`).toBeGreaterThan(2);
  expect(buckets.at(-1)!.labels.le).toBe('+Inf');
  for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
  const count = value(families, `${name}_count`, match);
  expect(buckets.at(-1)!.value).toBe(count);
  expect(value(families, `${name}_sum`, match)).toBeGreaterThanOrEqual(0);
  return count;
}

describe('GET /metrics: process, runtime and latency metrics', () => {
  it('carries both processes, the histograms, relay errors by code, and node on every series', async () => {
    const srv = await startRelayServer();
    const done = await exercise(srv);
    const { text, families } = await srv.scrape();

    // Every series names this node; no label value is a room, a peer, a name or a TURN user.
    for (const f of families.values()) for (const s of f.samples) expect(s.labels.node, `${s.name} ${JSON.stringify(s.labels)}`).toBe(NODE_ID);
    for (const chosen of [...done.chosen, ...done.peerIds]) expect(text).not.toContain(chosen);

    // Process and runtime metrics of the server and, forwarded over IPC, of the relay child.
    const relayPid = (srv.app.relay() as RelayPool).pids[0]!;
    expect(relayPid).not.toBe(process.pid);
    for (const name of PROCESS_SERIES) {
      for (const proc of ['server', 'relay']) expect(samples(families, name, { process: proc }).length, `${name}{process="${proc}"}`).toBeGreaterThan(0);
    }
    expect(value(families, 'process_resident_memory_bytes', { process: 'relay' })).toBeGreaterThan(10e6);
    // The child started after the server process: its own start time, not a copy of the server's.
    expect(value(families, 'process_start_time_seconds', { process: 'relay' })).toBeGreaterThanOrEqual(value(families, 'process_start_time_seconds', { process: 'server' }));
    expect(families.get('nodejs_gc_duration_seconds')?.type).toBe('histogram');
    expect(families.get('process_resident_memory_bytes')?.type).toBe('gauge');

    // Latency histograms.
    expect(checkHistogram(families, 'switchboard_join_seconds', { result: 'ok' })).toBe(2);
    expect(checkHistogram(families, 'switchboard_join_seconds', { result: 'error' })).toBe(1);
    expect(checkHistogram(families, 'switchboard_signal_forward_seconds', {})).toBe(1);
    expect(checkHistogram(families, 'switchboard_ice_servers_seconds', { via: 'event' })).toBe(1);
    expect(checkHistogram(families, 'switchboard_ice_servers_seconds', { via: 'http' })).toBe(1);
    expect(checkHistogram(families, 'switchboard_turn_allocate_seconds', { transport: 'udp', result: 'success' })).toBe(1);
    // Errors: two 401 challenges, the 401 to a wrong password (the client retries once), the 437.
    expect(checkHistogram(families, 'switchboard_turn_allocate_seconds', { transport: 'udp', result: 'error' })).toBeGreaterThanOrEqual(4);

    // Relay error answers by method and code.
    expect(value(families, 'switchboard_turn_error_responses_total', { method: 'allocate', code: '437' })).toBe(1);
    expect(value(families, 'switchboard_turn_error_responses_total', { method: 'refresh', code: '437' })).toBe(1);
    expect(value(families, 'switchboard_turn_error_responses_total', { method: 'allocate', code: '401' })).toBeGreaterThanOrEqual(3);
    expect(value(families, 'switchboard_turn_up')).toBe(1);
    expect(value(families, 'switchboard_turn_allocation_quota')).toBe(40);
    expect(value(families, 'switchboard_turn_allocations')).toBe(1);

    // Prometheus's own parser accepts it (exit 1 is a parse error). Its lint (exit 3) may only
    // flag prom-client's default names (gauges named *_total), none of ours.
    const checked = promtool(['check', 'metrics'], text);
    expect(checked.status, checked.output).not.toBe(1);
    const lint = checked.output.split('\n').filter(Boolean);
    expect(lint.filter((l) => l.startsWith('switchboard_')), checked.output).toEqual([]);
    expect(checked.status === 0 || lint.length > 0).toBe(true);
  }, 60_000);

  it('a relay child that dies leaves its series out and turn_up at 0 until its restart reports again', async () => {
    const srv = await startRelayServer();
    const relay = srv.app.relay() as RelayPool;
    expect(samples((await srv.scrape()).families, 'process_resident_memory_bytes', { process: 'relay' })).toHaveLength(1);
    const restarted = new Promise((resolve) => relay.once('child-restarted', resolve));
    const exited = new Promise((resolve) => relay.once('child-exit', resolve));
    process.kill(relay.pids[0]!, 'SIGKILL');
    await exited;
    // The restart waits 250 ms, then loads a new child (about a second): this scrape comes first.
    const down = (await srv.scrape()).families;
    expect(value(down, 'switchboard_turn_up')).toBe(0);
    expect(samples(down, 'process_resident_memory_bytes', { process: 'relay' })).toEqual([]);
    expect(value(down, 'process_resident_memory_bytes', { process: 'server' })).toBeGreaterThan(0);
    await restarted;
    await until(async () => value((await srv.scrape()).families, 'switchboard_turn_up') === 1, 'the restarted relay reporting', 10_000);
    expect(samples((await srv.scrape()).families, 'process_resident_memory_bytes', { process: 'relay' })).toHaveLength(1);
  }, 60_000);
});
