/**
 * Debian's coturn (`/usr/bin/turnserver`) as a second relay for the call-setup benchmark (issue
 * 16: "faster through our relay than through coturn in the same run"), started and stopped by the
 * benchmark itself, never the system's coturn service: its own process, a generated config in a
 * temp dir (pid file, user DB and log there too), ports chosen free at run time, and, as root,
 * inside the servers' network namespace, on the same address as Switchboard's embedded relay.
 *
 * Authentication is the TURN REST scheme (`use-auth-secret` + `static-auth-secret`) with the same
 * secret as the Switchboard server that hands its URLs out (TURN_URLS), so the pages get working
 * credentials exactly as they do for the embedded relay.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Netns } from '../../test/support/netns.js';

export const COTURN_BIN = '/usr/bin/turnserver';

export interface CoturnOptions {
  /** Listening and relay address (the address the pages reach the servers on). */
  address: string;
  /** The TURN REST secret (the Switchboard server's TURN_SECRET). */
  secret: string;
  /** Where the temp dir goes. */
  tmpDir: string;
  /** Run inside this namespace (root), else on this machine. */
  ns: Netns | null;
  /** coturn's `verbose` logging (every request and response; for tracing the relayed path). */
  verbose?: boolean;
}

export interface Coturn {
  port: number;
  /** `turn:` URLs (UDP and TCP) for TURN_URLS. */
  urls: string[];
  version: string;
  /** coturn's log so far (its log file). */
  log(): string;
  stop(): Promise<void>;
}

export function coturnVersion(): string {
  const q = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'coturn'], { encoding: 'utf8' });
  return q.status === 0 && q.stdout ? q.stdout.trim() : 'unknown';
}

/** Whether `port` is listened on (UDP or TCP) where coturn will run. */
function listening(ns: Netns | null, proto: 'u' | 't', port: number): boolean {
  const args = [`-Hln${proto}`, 'sport', '=', `:${port}`];
  const out = ns ? ns.exec('ss', args, { ignoreError: true }) : spawnSync('ss', args, { encoding: 'utf8' }).stdout;
  return out.trim().length > 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startCoturn(o: CoturnOptions): Promise<Coturn> {
  if (!existsSync(COTURN_BIN)) throw new Error(`coturn is not installed (${COTURN_BIN} missing; apt-get install coturn), or run with --no-coturn`);
  // Listening port in 30000-39999 and a relay window of 500 above 40000, both below Linux's
  // ephemeral range (where our relay and the browsers take theirs); free ones, checked with ss.
  let port = 0;
  for (let i = 0; i < 50 && !port; i++) {
    const p = 30000 + Math.floor(Math.random() * 10000);
    if (!listening(o.ns, 'u', p) && !listening(o.ns, 't', p)) port = p;
  }
  if (!port) throw new Error('coturn: no free listening port found in 30000-39999');
  const min = 40000 + Math.floor(Math.random() * 40) * 500;
  const dir = mkdtempSync(join(o.tmpDir, 'coturn-'));
  const logFile = join(dir, 'turn.log');
  const conf = join(dir, 'turnserver.conf');
  writeFileSync(
    conf,
    [
      `listening-ip=${o.address}`,
      `relay-ip=${o.address}`,
      `listening-port=${port}`,
      `min-port=${min}`,
      `max-port=${min + 499}`,
      'use-auth-secret',
      `static-auth-secret=${o.secret}`,
      'realm=switchboard.bench',
      'fingerprint',
      // Without a namespace the pages are on loopback.
      ...(o.ns ? [] : ['allow-loopback-peers']),
      'no-cli',
      'no-tls',
      'no-dtls',
      'no-multicast-peers',
      'no-software-attribute',
      `pidfile=${join(dir, 'turnserver.pid')}`,
      `userdb=${join(dir, 'turndb')}`,
      `log-file=${logFile}`,
      'simple-log',
      'no-stdout-log',
      ...(o.verbose ? ['verbose'] : []),
    ].join('\n') + '\n',
  );
  const cmd = [COTURN_BIN, '-c', conf];
  const full = o.ns ? [...o.ns.prefix(), ...cmd] : cmd;
  const child: ChildProcess = spawn(full[0]!, full.slice(1), { stdio: 'ignore' });
  let exited = false;
  const exit = new Promise<void>((r) => child.once('exit', () => r(void (exited = true))));
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // coturn prints nothing useful on stdout: wait until both its listeners are there.
  const deadline = Date.now() + 15_000;
  while (!(listening(o.ns, 'u', port) && listening(o.ns, 't', port))) {
    if (exited || Date.now() > deadline) {
      const why = exited ? `exited with code ${child.exitCode}` : 'did not listen within 15 s';
      const text = log().split('\n').slice(-15).join('\n');
      await stop();
      throw new Error(`coturn ${why}:\n${text}`);
    }
    await sleep(100);
  }
  return {
    port,
    urls: [`turn:${o.address}:${port}?transport=udp`, `turn:${o.address}:${port}?transport=tcp`],
    version: coturnVersion(),
    log,
    stop,
  };
}
