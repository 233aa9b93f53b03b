/** Process measurements from /proc, and child-process helpers shared by the benchmarks. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

/** utime + stime of a process, in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** The machine's CPU time so far by kind (/proc/stat, all cores), in clock ticks. */
export function machineTicks(): { busy: number; steal: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = f as [number, number, number, number, number, number, number, number];
  const busy = user + nice + system + irq + softirq;
  return { busy, steal, total: busy + idle + iowait + steal };
}

/**
 * Steal between two readings, % of the machine's time: time this VM wanted to run and the host
 * gave to someone else. Latency tails on this machine follow it (a stalled VM delays every process).
 */
export function stealPercent(a: ReturnType<typeof machineTicks>, b: ReturnType<typeof machineTicks>): number {
  const total = b.total - a.total;
  return total > 0 ? (100 * (b.steal - a.steal)) / total : 0;
}

export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

export function machine(): string {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  return `${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`;
}

export interface Child {
  proc: ChildProcess;
  /** The first JSON line the child printed (its "ready" message). */
  ready: Record<string, unknown>;
  /** Next JSON line after now. */
  nextLine(): Promise<Record<string, unknown>>;
  send(msg: unknown): void;
  stop(): Promise<void>;
}

/** Runs `tsx <script>` and waits for its first JSON line on stdout. */
export async function startChild(script: string, args: string[] = [], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<Child> {
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<(l: Record<string, unknown>) => void> = [];
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (!line.startsWith('{')) continue;
      const parsed = JSON.parse(line) as Record<string, unknown>;
      const w = waiters.shift();
      if (w) w(parsed);
      else lines.push(parsed);
    }
  });
  const nextLine = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const l = lines.shift();
      if (l) return resolve(l);
      const onExit = (code: number | null) => reject(new Error(`${script} exited (${code}) before printing`));
      proc.once('exit', onExit);
      waiters.push((x) => {
        proc.off('exit', onExit);
        resolve(x);
      });
    });
  const ready = await nextLine();
  return {
    proc,
    ready,
    nextLine,
    send: (msg) => proc.send(msg as never),
    stop: async () => {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The run whose `key` is the median of `runs` (the lower middle for an even count). */
export function medianBy<T>(runs: T[], key: (r: T) => number): T {
  const sorted = [...runs].sort((x, y) => key(x) - key(y));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const fmt = (v: string | number) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : v);
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(fmt).join(' | ')} |`)].join('\n');
}

/**
 * Writes a result file under bench/results/ (recorded runs, committed) or bench/results/quick/
 * (smoke runs from CI and `--quick`, ignored by git).
 */
export function writeResult(name: string, quick: boolean, content: string): string {
  const dir = new URL(quick ? '../results/quick/' : '../results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(name, dir);
  writeFileSync(file, content);
  return fileURLToPath(file);
}
