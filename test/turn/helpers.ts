/** Shared test helpers for the relay tests: config, start/stop, credentials, waiting. */
import dgram from 'node:dgram';
import type { RelayConfig } from '../../turn/config.js';
import { TurnClient, type TurnClientOptions } from '../../turn/client/index.js';
import { restCredentials } from '../../turn/auth/rest.js';
import { createRelay, type CreateRelayOptions, type TurnRelay } from '../../turn/relay.js';
import type { RelayAddresses } from '../../turn/types.js';

export const SECRET = 'test-secret-0123456789abcdef';

export function testConfig(over: Partial<RelayConfig> = {}): RelayConfig {
  return {
    listenIp: '127.0.0.1',
    relayIp: '127.0.0.1',
    port: 0,
    tlsPort: 0,
    realm: 'switchboard.test',
    secret: SECRET,
    minPort: 20000,
    maxPort: 59999,
    allowPeers: [],
    staticUsers: [],
    defaultLifetime: 600,
    maxLifetime: 3600,
    userQuota: 10,
    totalQuota: 1000,
    maxBps: 0,
    maxPermissions: 64,
    maxChannels: 64,
    ...over,
  };
}

export async function startRelay(
  over: Partial<RelayConfig> = {},
  opts: CreateRelayOptions = {},
): Promise<{ relay: TurnRelay; addr: RelayAddresses }> {
  const relay = createRelay(testConfig(over), opts);
  const addr = await relay.start();
  return { relay, addr };
}

let idSeq = 0;
export function creds(ttl = 3600, id = `user${++idSeq}`, secret = SECRET): { username: string; password: string } {
  return restCredentials(secret, id, ttl);
}

export async function client(
  addr: RelayAddresses,
  o: Partial<TurnClientOptions> & { transport?: 'udp' | 'tcp' | 'tls' } = {},
): Promise<TurnClient> {
  const transport = o.transport ?? 'udp';
  const port = transport === 'tls' ? addr.tls!.port : transport === 'tcp' ? addr.tcp.port : addr.udp.port;
  return TurnClient.connect({ host: '127.0.0.1', port, ...creds(), rto: 100, timeout: 10_000, ...o, transport });
}

/** Poll `cond` until true (no fixed sleeps as synchronisation); fail after `ms`. */
export async function waitFor(cond: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * A UDP socket that records what it receives (and can echo). On 127.0.0.2 by default: the relay's
 * own address (127.0.0.1 in tests) is reserved for in-process relay-to-relay delivery.
 */
export const PEER_IP = '127.0.0.2';
export async function udpPeer(echo = false, ip = PEER_IP): Promise<{ socket: dgram.Socket; port: number; got: Buffer[]; close(): Promise<void> }> {
  const socket = dgram.createSocket('udp4');
  const got: Buffer[] = [];
  socket.on('message', (m, r) => {
    got.push(m);
    if (echo) socket.send(m, r.port, r.address);
  });
  await new Promise<void>((r) => socket.bind(0, ip, () => r()));
  return { socket, port: socket.address().port, got, close: () => new Promise<void>((r) => socket.close(() => r())) };
}

/** A controllable clock for expiry tests. */
export function fakeClock(start = Date.now()): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}
