/** Real servers on port 0 and real socket.io-client peers, for the signaling tests. */
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach } from 'vitest';
import { createApp, type App, type AppDeps } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import type { ClientToServerEvents, JoinAck, ServerToClientEvents } from '../../server/protocol/index.js';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

export interface TestServer {
  app: App;
  config: Config;
  url: string;
  port: number;
  client(opts?: Parameters<typeof connect>[1]): Promise<Client>;
}

/** A signaling server with no relay, from env-style overrides (validated like production). */
export async function startServer(env: Record<string, string> = {}, deps: Partial<AppDeps> = {}): Promise<TestServer> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    TURN_ENABLED: 'false',
    TURN_URLS: 'turn:203.0.113.10:3478?transport=udp,turn:203.0.113.10:3478?transport=tcp',
    TURN_SECRET: 'test-turn-secret-0123456789',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const app = createApp(config, { log: createLogger('silent'), relayFactory: null, ...deps });
  const started = await app.start();
  cleanups.push(() => app.stop());
  const url = `http://127.0.0.1:${started.port}`;
  return {
    app,
    config,
    url,
    port: started.port,
    client: (opts) => connectClient(url, opts),
  };
}

export async function connectClient(url: string, opts: Parameters<typeof connect>[1] = {}): Promise<Client> {
  const socket: Client = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 5000, ...opts });
  cleanups.push(() => {
    socket.disconnect();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return socket;
}

/** emit with an ack, bounded by a timeout. */
export function request<T>(socket: Client, event: string, ...args: unknown[]): Promise<T> {
  return (socket.timeout(5000) as unknown as { emitWithAck(ev: string, ...a: unknown[]): Promise<T> }).emitWithAck(event, ...args);
}

export async function join(socket: Client, room: string, extra: Record<string, unknown> = {}): Promise<Extract<JoinAck, { ok: true }>> {
  const res = await request<JoinAck>(socket, 'join', { room, ...extra });
  if (!res.ok) throw new Error(`join failed: ${res.error.code} ${res.error.message}`);
  return res;
}

/** Resolves with the next `event` on `socket` (optionally matching), or rejects after `ms`. */
export function next<T = unknown>(socket: Client, event: string, ms = 5000, match: (v: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const s = socket as unknown as { on(e: string, f: (v: T) => void): void; off(e: string, f: (v: T) => void): void };
    const timer = setTimeout(() => {
      s.off(event, handler);
      reject(new Error(`no "${event}" within ${ms} ms`));
    }, ms);
    const handler = (v: T) => {
      if (!match(v)) return;
      clearTimeout(timer);
      s.off(event, handler);
      resolve(v);
    };
    s.on(event, handler);
  });
}

/** Collects every `event` on `socket` into an array (for asserting that something did NOT arrive). */
export function collect<T = unknown>(socket: Client, event: string): T[] {
  const out: T[] = [];
  (socket as unknown as { on(e: string, f: (v: T) => void): void }).on(event, (v: T) => out.push(v));
  return out;
}

/** Waits until `cond()` is true, polling; fails with `what` after `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
