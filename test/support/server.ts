/**
 * Start the real server (`node --import tsx server/main.ts`) as a child process, optionally inside a
 * network namespace, and wait for its `"msg":"listening"` log line. Fails loudly (with the server's
 * output) when it exits or does not come up in time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Netns } from './netns.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface TurnAddresses {
  udp: { address: string; port: number };
  tcp: { address: string; port: number };
}

export interface ServerHandle {
  port: number;
  turn: TurnAddresses | null;
  proc: ChildProcess;
  /** Every output line so far (JSON log lines and anything else). */
  output: string[];
  /** SIGTERM, wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface StartServerOptions {
  env: Record<string, string>;
  ns?: Netns | null;
  timeoutMs?: number;
}

export async function startServer(o: StartServerOptions): Promise<ServerHandle> {
  const cmd = [process.execPath, '--import', 'tsx', 'server/main.ts'];
  const full = o.ns ? [...o.ns.prefix(), ...cmd] : cmd;
  const proc = spawn(full[0]!, full.slice(1), {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve((exitCode = code))));
  const listening = new Promise<{ port: number; turn: TurnAddresses | null }>((resolve, reject) => {
    let buf = '';
    const onData = (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        output.push(line);
        if (output.length > 2000) output.shift();
        if (!line.includes('"listening"')) continue;
        try {
          const j = JSON.parse(line) as { msg?: string; port?: number; turn?: TurnAddresses | null };
          if (j.msg === 'listening' && typeof j.port === 'number') resolve({ port: j.port, turn: j.turn ?? null });
        } catch {
          /* not JSON */
        }
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (c: Buffer) => output.push(...c.toString('utf8').trimEnd().split('\n')));
    void exited.then((code) => reject(new Error(`server exited with code ${code} before listening:\n${output.slice(-40).join('\n')}`)));
    proc.once('error', reject);
  });
  const timeoutMs = o.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`server did not log "listening" within ${timeoutMs} ms:\n${output.slice(-40).join('\n')}`)), timeoutMs);
  });
  try {
    const { port, turn } = await Promise.race([listening, timeout]);
    return {
      port,
      turn,
      proc,
      output,
      stop: async () => {
        if (exitCode !== undefined) return exitCode;
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        const code = await exited;
        clearTimeout(t);
        return code;
      },
    };
  } catch (err) {
    proc.kill('SIGKILL');
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
