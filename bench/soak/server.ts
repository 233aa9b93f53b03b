/** The soak's server as a child process (server-child.ts): where it listens, its memory, its exit. */
import { startChild } from '../lib/proc.js';
import { SERVER_NODE_FLAGS } from '../lib/server-flags.js';
import type { ServerOptions } from '../../server/options.js';
import type { ServerMemory } from './churn.js';

export interface SoakServer {
  url: string;
  pid: number;
  /** Memory after a forced GC, handles by kind and error lines logged so far. */
  memory(): Promise<ServerMemory & { errorLines: number }>;
  /** SIGTERM; resolves with how it exited (code 0: stopped and nothing kept it alive). */
  stop(): Promise<{ code: number | null; signal: string | null }>;
}

/** The signaling settings of a soak; the rest (no relay, loopback, port 0) is fixed. */
export type SoakServerSettings = Pick<ServerOptions, 'resumeGraceMs' | 'roomCapacity' | 'maxConnectionsPerIp'>;

/** Starts the server with the flags `npm start` gives it (plus --expose-gc) and waits for it to listen. */
export async function startSoakServer(settings: SoakServerSettings): Promise<SoakServer> {
  const options: ServerOptions = {
    ...settings,
    port: 0,
    host: '127.0.0.1',
    turnEnabled: false,
    turnUrls: ['turn:127.0.0.1:3478?transport=udp'],
    turnSecret: 'soak-turn-secret-0123456789',
  };
  const child = await startChild('bench/soak/server-child.ts', [], { SOAK_SERVER_OPTIONS: JSON.stringify(options) }, ['--expose-gc', ...SERVER_NODE_FLAGS]);
  // One request at a time: each answer is the next line the child prints.
  let queue = Promise.resolve();
  const memory = () => {
    const answer = queue.then(() => {
      child.send({ gc: true });
      return child.nextLine() as unknown as Promise<ServerMemory & { errorLines: number }>;
    });
    queue = answer.then(() => undefined, () => undefined);
    return answer;
  };
  return {
    url: `http://127.0.0.1:${child.ready.port as number}`,
    pid: child.ready.pid as number,
    memory,
    async stop() {
      await child.stop();
      return { code: child.proc.exitCode, signal: child.proc.signalCode };
    },
  };
}
