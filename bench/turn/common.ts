/**
 * Shared pieces of the relay benchmark: /proc readers, free ports, child processes, the payload
 * layout and small statistics helpers.
 */
import type { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { cpuMs, machineTicks, rssBytes } from '../lib/proc.js';

export const HOST = '127.0.0.1';
/**
 * The echo peer's address. Not 127.0.0.1: our relay treats every peer on its own relay IP as
 * another of its allocations (relay-to-relay, in-process) and drops data for ports it does not
 * own, so a sink on the relay IP would be unreachable. 127.0.0.2 is loopback too.
 */
export const SINK_HOST = '127.0.0.2';
/**
 * IPv6 loopback, the address of the IPv6 rows (server `ours6`): its clients, its listener and its
 * echo peer. ::1 is the host's only IPv6 loopback address, so the relay cannot have a relay
 * address of its own beside the peer's as on IPv4: it advertises RELAY_IP6 (documentation range,
 * never sent to) and binds its relay sockets to its listen address ::1 (the 1:1 NAT setting:
 * a TURN_RELAY_IP6 that is not an address of the host, turn/relay-families.ts).
 */
export const HOST6 = '::1';
export const RELAY_IP6 = '2001:db8::1';
export const REALM = 'switchboard-bench';
/** Private relay port windows: below Linux's ephemeral range (32768-60999) so clients never collide. */
export const PORT_WINDOW_BASE = 20000;
export const PORT_WINDOW_SIZE = 1200;

// ---------------------------------------------------------------------------------------------
// /proc

/** CPU time (user + system, all threads) of a process, in microseconds. */
export function cpuMicros(pid: number): number {
  return cpuMs(pid) * 1000;
}

export { rssBytes };

/** Number of open file descriptors that are sockets. */
export function socketFds(pid: number): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) n++;
    } catch {
      // closed between readdir and readlink
    }
  }
  return n;
}

/** Busy CPU time of the whole machine (all cores; /proc/stat minus idle and iowait), microseconds. */
export function machineBusyMicros(): number {
  const t = machineTicks();
  return ((t.busy + t.steal) * 1e6) / 100;
}

/** Fraction of the machine's CPU that is idle over `ms`. */
export async function idleFraction(ms = 1000): Promise<number> {
  const b0 = machineBusyMicros();
  const t0 = performance.now();
  await sleep(ms);
  const busy = machineBusyMicros() - b0;
  return Math.max(0, 1 - busy / ((performance.now() - t0) * 1000 * availableParallelism()));
}

/**
 * Wait up to `maxS` seconds for a 1-second sample with at least `minIdle` of the CPU idle (other
 * engineers' tests share the machine). Returns the last sample.
 */
export async function waitForQuiet(maxS: number, minIdle = 0.75): Promise<number> {
  const deadline = performance.now() + maxS * 1000;
  let idle = await idleFraction();
  while (idle < minIdle && performance.now() < deadline) idle = await idleFraction();
  return idle;
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

export function cpuModel(): string {
  const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return m?.[1]?.trim() ?? 'unknown';
}

// ---------------------------------------------------------------------------------------------
// ports

/** A port free for both UDP and TCP on 127.0.0.1 (the kernel's choice). */
export async function freePort(): Promise<number> {
  for (;;) {
    const s = dgram.createSocket('udp4');
    const port = await new Promise<number>((res, rej) => {
      s.once('error', rej);
      s.bind(0, HOST, () => res(s.address().port));
    });
    await new Promise<void>((r) => s.close(() => r()));
    if (await tcpFree(port)) return port;
  }
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const srv = net.createServer();
    srv.once('error', () => res(false));
    srv.listen(port, HOST, () => srv.close(() => res(true)));
  });
}

/** A random relay port window [min, max] inside 20000-32767, different for each call. */
let windowSlot = Math.floor(Math.random() * 10);
export function relayPortWindow(): { min: number; max: number } {
  const slots = Math.floor((32767 - PORT_WINDOW_BASE) / PORT_WINDOW_SIZE);
  const min = PORT_WINDOW_BASE + (windowSlot++ % slots) * PORT_WINDOW_SIZE;
  return { min, max: min + PORT_WINDOW_SIZE - 1 };
}

// ---------------------------------------------------------------------------------------------
// child processes

/** Resolve with the first stdout line of `child` that is a JSON object; reject on exit/timeout. */
export function readyLine<T>(child: ChildProcess, name: string, timeoutMs = 15_000): Promise<T> {
  const lines = createInterface({ input: child.stdout! });
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} was not ready after ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => reject(new Error(`${name} exited (code ${code}) before it was ready`)));
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as T);
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
export function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(t);
      res();
    });
    child.kill('SIGTERM');
  });
}

// ---------------------------------------------------------------------------------------------
// payload: [u32 magic][u16 step][u16 flow][u32 seq][f64 send time (performance.now ms)][padding]

export const PAYLOAD_MAGIC = 0x5357_4244; // "SWBD"
export const PAYLOAD_HEADER = 20;

export function writePayloadHeader(buf: Buffer, off: number, step: number, seq: number, now: number): void {
  buf.writeUInt32BE(PAYLOAD_MAGIC, off);
  buf.writeUInt16BE(step & 0xffff, off + 4);
  buf.writeUInt32BE(seq >>> 0, off + 8);
  buf.writeDoubleLE(now, off + 12);
}

// ---------------------------------------------------------------------------------------------
// statistics and formatting

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function fmt(n: number | undefined | null, digits = 0): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '-';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function mb(bytes: number | undefined): string {
  return bytes === undefined ? '-' : (bytes / (1024 * 1024)).toFixed(1);
}

export function markdownTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
