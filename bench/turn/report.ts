/**
 * Markdown tables and the goal checks for the relay benchmark's results.
 */
import { LOSS_MAX, NOISY_PCT, type AllocationResult, type LadderResult, type Mode, type StepResult } from './load.js';
import type { ServerName } from './servers.js';
import { fmt, markdownTable, mb } from './common.js';

export interface PathResult {
  mode: Mode;
  size: number;
  result: LadderResult;
}

export interface ServerResult {
  name: ServerName;
  label: string;
  /** Set when the server could not be started or measured. */
  error?: string;
  loadBefore: string;
  /** Idle fraction of the machine's CPU in the second before the server started. */
  idleBefore: number;
  alloc?: AllocationResult;
  paths: PathResult[];
  relayToRelay: PathResult[];
}

export interface RunMeta {
  date: string;
  command: string;
  nproc: number;
  cpuModel: string;
  node: string;
  coturn: string;
  loadStart: string;
  loadEnd: string;
  durationS: number;
  rates: number[];
  allocations: number;
  /** The echo peer's implementation. */
  sink: string;
}

export interface RunResult {
  meta: RunMeta;
  servers: ServerResult[];
  /** `--workers`: our relay as a pool of each worker count (bench/turn/workers.ts), one row each. */
  workers?: ServerResult[];
}

const PATH_LABEL: Record<Mode, string> = { channel: 'ChannelData', indication: 'Send/Data ind.' };

function rateCell(r: LadderResult): string {
  const best = r.best ? fmt(r.best.offered) : '0';
  // The step that decided the figure: the best one, or the first one when none passed.
  const decisive = r.steps[r.steps.indexOf(r.best!) + 1] ?? r.best ?? r.steps[0];
  const noisy = r.steps.some((x) => x.otherCpuPct > NOISY_PCT && (x === r.best || x === decisive)) ? ' †' : '';
  return (r.harnessLimited && r.best ? `${best}+ (harness)` : best) + noisy;
}

function mbits(s: StepResult | undefined, size: number): string {
  return s ? ((s.sentRate * size * 8) / 1e6).toFixed(1) : '-';
}

function rtt(s: StepResult | undefined): string {
  return s ? `${fmt(s.rttP50Us)} / ${fmt(s.rttP99Us)}` : '-';
}

function pathRows(servers: ServerResult[], pick: (s: ServerResult) => PathResult[]): string[][] {
  const rows: string[][] = [];
  for (const s of servers) {
    if (s.error) {
      rows.push([s.label, '-', '-', `not run: ${s.error}`, '-', '-', '-', '-', '-']);
      continue;
    }
    for (const p of pick(s)) {
      const b = p.result.best;
      rows.push([
        s.label,
        PATH_LABEL[p.mode],
        String(p.size),
        rateCell(p.result),
        mbits(b, p.size),
        rtt(b),
        b ? b.cpuPerPacketUs.toFixed(2) : '-',
        b ? fmt(b.cpuPct) : '-',
        firstStepCpu(p.result),
      ]);
    }
  }
  return rows;
}

/** CPU per packet at the first (lowest) offered rate, which every server was given. */
function firstStepCpu(r: LadderResult): string {
  const f = r.steps[0];
  return f && Number.isFinite(f.cpuPerPacketUs) ? f.cpuPerPacketUs.toFixed(2) : '-';
}

const PATH_HEAD = [
  'server',
  'path',
  'bytes',
  'loss-free pps',
  'Mbit/s',
  'RTT p50 / p99 us',
  'CPU us/pkt',
  'server CPU %',
  'CPU us/pkt at the first rate',
];

export function throughputTable(r: RunResult): string {
  return markdownTable(PATH_HEAD, pathRows(r.servers, (s) => s.paths));
}

export function relayToRelayTable(r: RunResult): string {
  return markdownTable(PATH_HEAD, pathRows(r.servers, (s) => s.relayToRelay));
}

export function allocationTable(r: RunResult): string {
  const rows = r.servers.map((s) => {
    const a = s.alloc;
    if (!a) return [s.label, '-', '-', '-', '-', '-', s.error ? `not run: ${s.error}` : '-', '-'];
    return [
      s.label,
      mb(a.rssIdle),
      mb(a.rssWith),
      mb(a.rssWith - a.rssIdle),
      fmt(a.allocationsPerSecond),
      fmt(a.cpuPerAllocationUs),
      `${a.socketsIdle} / ${a.socketsWith} / ${a.socketsAfterFree}`,
      String(a.socketsAfterFree - a.socketsIdle),
    ];
  });
  return markdownTable(
    [
      'server',
      'RSS idle MB',
      `RSS ${r.meta.allocations} alloc MB`,
      'delta MB',
      'allocations/s',
      'CPU us/alloc',
      'sockets idle / with / after free',
      'sockets left',
    ],
    rows,
  );
}

// ---------------------------------------------------------------------------------------------
// goals

type Verdict = 'PASS' | 'FAIL' | 'n/a';

function line(v: Verdict, text: string): string {
  return `- ${v}: ${text}`;
}

function bestRate(s: ServerResult | undefined, pick: (s: ServerResult) => PathResult[], p: PathResult): number | undefined {
  if (!s || s.error) return undefined;
  const q = pick(s).find((x) => x.mode === p.mode && x.size === p.size);
  return q ? q.result.best?.offered ?? 0 : undefined;
}

/** The step a ladder is judged by: the best one, else the first (no rate was loss-free). */
function judged(r: LadderResult): StepResult | undefined {
  return r.best ?? r.steps[0];
}

function cpuText(s: StepResult | undefined): string {
  return s && Number.isFinite(s.cpuPerPacketUs) ? s.cpuPerPacketUs.toFixed(2) : '-';
}

/** "ours >= factor x theirs" on loss-free rates; n/a when neither passed even the first rate. */
function rateGoal(name: string, mine: number, theirs: number | undefined, factor: number, who: string, note = ''): string {
  const want = `${name}: loss-free ${fmt(mine)} pps >= ${factor === 0.5 ? '1/2' : `${factor}x`} ${who}'s`;
  if (theirs === undefined) return line('n/a', `${want} (${who} did not run)`);
  if (mine === 0 && theirs === 0) return line('n/a', `${want} 0: neither was loss-free even at the first rate${note}`);
  return line(mine > 0 && mine >= factor * theirs ? 'PASS' : 'FAIL', `${want} ${fmt(theirs)}${note}`);
}

export function goals(r: RunResult): string[] {
  const by = (n: ServerName): ServerResult | undefined => r.servers.find((s) => s.name === n);
  const ours = by('ours');
  if (!ours || ours.error) return [line('n/a', `every goal: our relay did not run (${ours?.error ?? 'not selected'})`)];
  const out: string[] = [];
  const paths = (s: ServerResult): PathResult[] => s.paths;
  for (const p of ours.paths) {
    const name = `${PATH_LABEL[p.mode]} ${p.size} B`;
    const mine = p.result.best?.offered ?? 0;
    const coPath = by('coturn')?.paths.find((x) => x.mode === p.mode && x.size === p.size);
    const note = coPath?.result.harnessLimited ? ' (coturn reached the limit of this machine)' : '';
    out.push(rateGoal(name, mine, bestRate(by('coturn'), paths, p), 0.5, 'coturn', note));
    out.push(rateGoal(name, mine, bestRate(by('nodeturn'), paths, p), 2, 'node-turn'));
    const at = judged(p.result);
    const cpu = at?.cpuPerPacketUs;
    const where = p.result.best ? 'at the loss-free rate' : `at ${fmt(at?.offered)} pps: no rate was loss-free`;
    out.push(line(cpu !== undefined && cpu <= 10 ? 'PASS' : 'FAIL', `${name}: CPU ${cpuText(at)} us per relayed packet <= 10 (${where})`));
  }
  const a = ours.alloc;
  if (a) {
    const delta = a.rssWith - a.rssIdle;
    out.push(line(delta < 10 * 1024 * 1024 ? 'PASS' : 'FAIL', `RSS +${mb(delta)} MB for ${a.count} allocations < 10 MB`));
    const left = a.socketsAfterFree - a.socketsIdle;
    out.push(line(left === 0 && a.freeFailures === 0 ? 'PASS' : 'FAIL', `sockets left after freeing ${a.count} allocations: ${left} (want 0; ${a.freeFailures} Refresh(0) failures)`));
  }
  const co = by('coturn');
  for (const p of ours.relayToRelay) {
    const q = co && !co.error ? co.relayToRelay.find((x) => x.size === p.size) : undefined;
    const name = `relay-to-relay ${p.size} B`;
    if (!q) {
      out.push(line('n/a', `${name}: beats coturn (coturn did not run)`));
      continue;
    }
    // A higher loss-free rate wins; at the same rate (0 included), less CPU per packet at the step
    // each is judged by.
    const [m, c] = [judged(p.result), judged(q.result)];
    const mr = p.result.best?.offered ?? 0;
    const cr = q.result.best?.offered ?? 0;
    const beats = mr > cr || (mr === cr && !!m && !!c && m.cpuPerPacketUs < c.cpuPerPacketUs);
    out.push(
      line(
        beats ? 'PASS' : 'FAIL',
        `${name}: beats coturn: ${fmt(mr)} vs ${fmt(cr)} pps loss-free, ${cpuText(m)} vs ${cpuText(c)} us CPU/pkt` +
          (mr === cr ? ' (same rate: decided on CPU per packet)' : ''),
      ),
    );
  }
  return out;
}

function otherLoad(s: ServerResult): string {
  const v = [...s.paths, ...s.relayToRelay].flatMap((p) => p.result.steps.map((x) => x.otherCpuPct)).sort((a, b) => a - b);
  return v.length ? `${fmt(v[Math.floor(v.length / 2)])} / ${fmt(v[v.length - 1])}` : '-';
}

export function renderMarkdown(r: RunResult): string {
  const m = r.meta;
  return [
    `Relay benchmark, ${m.date}`,
    '',
    `- command: \`${m.command}\``,
    `- machine: ${m.nproc} CPUs, ${m.cpuModel}; node ${m.node}; coturn ${m.coturn}`,
    `- load average (1/5/15 min): ${m.loadStart} at start, ${m.loadEnd} at end; per server: ` +
      r.servers.map((s) => `${s.name} ${s.loadBefore} (${fmt(s.idleBefore * 100)}% idle)`).join(', '),
    `- other processes' CPU during the steps, median / max, % of one core (0 = a quiet machine): ` +
      r.servers.map((s) => `${s.name} ${otherLoad(s)}`).join(', '),
    `- echo peer: ${m.sink}; ${m.durationS} s per step, offered rates ${m.rates.map((x) => fmt(x)).join(', ')} pps; ` +
      `loss-free means <= ${LOSS_MAX * 100}% of round trips lost`,
    '',
    `† other processes used more than ${NOISY_PCT}% of a core during the best step or the one that failed after it.`,
    '',
    '### Client -> relay -> sink -> relay -> client',
    '',
    throughputTable(r),
    '',
    '### Relay-to-relay (client A -> allocation A -> allocation B -> client B, and back)',
    '',
    relayToRelayTable(r),
    '',
    '### Allocations',
    '',
    allocationTable(r),
    '',
    ...workerSection(r),
    '### Goals (our relay)',
    '',
    ...goals(r),
    '',
  ].join('\n');
}

/** The `--workers` rows: the same flows through pools of each worker count. */
function workerSection(r: RunResult): string[] {
  if (!r.workers?.length) return [];
  const load = r.workers.map((w) => `${w.label.split(' (')[0]} ${w.loadBefore} (${fmt(w.idleBefore * 100)}% idle)`).join(', ');
  return [
    '### Our relay by worker count (TURN_WORKERS)',
    '',
    `Load average before each: ${load}. CPU is every worker's and the supervisor's; "server CPU %" is their sum, % of one core.`,
    '',
    markdownTable(PATH_HEAD, pathRows(r.workers, (s) => s.paths)),
    '',
    markdownTable(PATH_HEAD, pathRows(r.workers, (s) => s.relayToRelay).map((row) => (row[1] === PATH_LABEL.channel ? [row[0]!, 'relay-to-relay', ...row.slice(2)] : row))),
    '',
  ];
}
