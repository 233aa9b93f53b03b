/**
 * Interop with coturn's client tools (Debian package `coturn`): turnutils_stunclient,
 * turnutils_uclient against a turnutils_peer echo peer, with TURN REST credentials (-W secret).
 * Missing tools FAIL the test (never skip): install with `apt-get install coturn`.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnRelay } from '../../turn/relay.js';
import type { RelayAddresses } from '../../turn/types.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TurnClient, restCredentials } from '../../turn/client/index.js';
import { PEER_IP, SECRET, fakeClock, startRelay, udpPeer, waitFor } from './helpers.js';

function tool(name: string): string {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = r.stdout.trim();
  if (!path) throw new Error(`${name} not found: apt-get install coturn`);
  return path;
}

function run(cmd: string, args: string[], timeoutMs = 40_000): Promise<string> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve(`${stdout}\n${stderr}\n${err ? `exit: ${err.message}` : ''}`);
    });
  });
}

async function freeUdpPort(ip: string): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, ip, () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** uclient's summary: messages sent/received and lost packets. */
function summary(out: string): { sent: number; received: number; lost: number } {
  const tot = [...out.matchAll(/tot_send_msgs=(\d+), tot_recv_msgs=(\d+)\s*$/gm)].pop();
  const lost = /Total lost packets (\d+)/.exec(out);
  return { sent: Number(tot?.[1] ?? -1), received: Number(tot?.[2] ?? -1), lost: Number(lost?.[1] ?? -1) };
}

/** uclient sent something, everything came back, nothing lost; the relay caught no exception. */
function expectNoLoss(out: string, relay: TurnRelay): void {
  const s = summary(out);
  expect(s.sent, out.slice(-2000)).toBeGreaterThan(0);
  expect(s.received, out.slice(-2000)).toBe(s.sent);
  expect(s.lost, out.slice(-2000)).toBe(0);
  expect(relay.handlerErrors).toBe(0);
}

describe('coturn client tools against this relay', () => {
  let relay: TurnRelay;
  let addr: RelayAddresses;
  let peer: ChildProcess | undefined;
  let peerPort = 0;
  const clock = fakeClock();
  const uclient = (): string => tool('turnutils_uclient');

  beforeAll(async () => {
    ({ relay, addr } = await startRelay({ allowPeers: ['127.0.0.0/8'], userQuota: 100 }, { now: clock.now }));
    peerPort = await freeUdpPort(PEER_IP);
    peer = spawn(tool('turnutils_peer'), ['-L', PEER_IP, '-p', String(peerPort)], { stdio: 'ignore' });
  });
  afterAll(async () => {
    peer?.kill();
    await relay?.stop();
  });

  it('turnutils_stunclient gets the reflexive address', async () => {
    const out = await run(tool('turnutils_stunclient'), ['-p', String(addr.udp.port), '127.0.0.1']);
    expect(out).toMatch(/UDP reflexive addr: 127\.0\.0\.1:\d+/);
  });

  // Each row: uclient flags. Channels are the default; -s uses Send indications; -t is TCP;
  // -y is client-to-client (relay-to-relay through this server, in-process); -g adds
  // DONT-FRAGMENT, -X an explicit REQUESTED-ADDRESS-FAMILY IPv4; without -c uclient also
  // allocates RTCP pairs with EVEN-PORT + RESERVATION-TOKEN.
  // Concurrent: uclient spends most of its run waiting on its own timers.
  it.concurrent.each([
    ['channels over UDP', []],
    ['channels over TCP', ['-t']],
    ['Send indications over UDP', ['-s']],
    ['Send indications over TCP', ['-t', '-s']],
    ['client-to-client over UDP', ['-y']],
    ['client-to-client over TCP', ['-y', '-t']],
    ['DONT-FRAGMENT, explicit IPv4, no RTCP', ['-g', '-X', '-c']],
  ])('turnutils_uclient %s: no loss', async (_name, flags) => {
    const args = [...flags, '-W', SECRET, '-u', 'interop', '-p', String(addr.udp.port), '-n', '20', '-m', '2', '-z', '5', '-l', '120'];
    if (!flags.includes('-y')) args.push('-e', PEER_IP, '-r', String(peerPort));
    const out = await run(uclient(), [...args, '127.0.0.1']);
    expectNoLoss(out, relay);
  }, 60_000);

  it('after the runs, expiry frees every allocation and reservation: no relay socket left', async () => {
    let s = await relay.stats();
    expect(s.allocationsTotal).toBeGreaterThan(10);
    // UDP uclients exit without deleting; unused RTCP reservations wait for their 30 s.
    clock.advance(3_601_000);
    relay.sweep();
    s = await relay.stats();
    expect(s.allocations).toBe(0);
    expect(s.relaySockets).toBe(0);
  });
});

describe('coturn client tools over IPv6 loopback against a dual-stack relay', () => {
  let relay: TurnRelay;
  let addr: RelayAddresses;
  beforeAll(async () => {
    ({ relay, addr } = await startRelay({ listenIp: '::', relayIp: '127.0.0.1', relayIp6: '::1', allowPeers: ['127.0.0.0/8'], userQuota: 100 }));
    relay.on('allocation-created', (e) => relayed.push(e));
  });
  const relayed: Array<{ relayed: string; username: string }> = [];
  afterAll(async () => {
    await relay?.stop();
  });

  it('turnutils_stunclient over IPv6 gets an IPv6 reflexive address', async () => {
    const out = await run(tool('turnutils_stunclient'), ['-p', String(addr.udp.port), '::1']);
    expect(out).toMatch(/UDP reflexive addr: \[?::1\]?:\d+/);
  });

  // Client-to-client (-y): the peers are this relay's own IPv6 allocations (in-process), as ::1
  // is the host's only IPv6 loopback address. -x asks for IPv6 relayed addresses; -Z for dual
  // allocations (uclient then talks over its IPv4 relayed addresses).
  it.concurrent.each([
    ['IPv6 relayed, client-to-client over UDP', ['-y', '-x']],
    ['IPv6 relayed, client-to-client over TCP', ['-y', '-x', '-t']],
    ['IPv6 relayed, Send indications', ['-y', '-x', '-s']],
    ['dual allocations, client-to-client over UDP', ['-y', '-Z']],
    ['IPv4 relayed from an IPv6 client', ['-y', '-X', '-c']],
  ])('turnutils_uclient %s: no loss', async (_name, flags) => {
    const user = `interop6-${flags.join('')}`;
    const args = [...flags, '-W', SECRET, '-u', user, '-p', String(addr.udp.port), '-n', '20', '-m', '2', '-z', '5', '-l', '120'];
    const out = await run(tool('turnutils_uclient'), [...args, '::1']);
    // The first relayed address of each allocation: IPv6 with -x, IPv4 otherwise (dual: IPv4 first).
    const mine = relayed.filter((e) => e.username.endsWith(`:${user}`)).map((e) => e.relayed);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => r.startsWith(flags.includes('-x') ? '[::1]:' : '127.0.0.1:')), mine.join()).toBe(true);
    expectNoLoss(out, relay);
  }, 60_000);
});

describe('credentials are interchangeable with coturn (use-auth-secret)', () => {
  it('coturn accepts the REST credentials our client uses against our relay', async () => {
    const turnserver = tool('turnserver');
    const dir = mkdtempSync(join(tmpdir(), 'coturn-'));
    const port = await freeUdpPort('127.0.0.1');
    const coturn = spawn(
      turnserver,
      [
        '-n', '--use-auth-secret', `--static-auth-secret=${SECRET}`, '--realm=switchboard.test',
        '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`,
        '--min-port=61000', '--max-port=61999', '--no-tls', '--no-dtls', '--no-cli', '--allow-loopback-peers',
        `--pidfile=${join(dir, 'turn.pid')}`, `--userdb=${join(dir, 'turndb')}`, `--log-file=${join(dir, 'turn.log')}`,
      ],
      { stdio: 'ignore' },
    );
    const peer = await udpPeer(true);
    try {
      const cred = restCredentials(SECRET, 'coturn-check', 600);
      let c: TurnClient | undefined;
      await waitFor(async () => {
        c ??= await TurnClient.connect({ host: '127.0.0.1', port, ...cred, rto: 100, maxRetransmits: 2 });
        return c.binding().then(() => true, () => false);
      }, 20_000, 'coturn to answer');
      const res = await c!.allocate();
      expect(res.relayed.address).toBe('127.0.0.1');
      const got: string[] = [];
      c!.on('data', (d) => got.push(String(d)));
      const ch = await c!.channelBind({ address: PEER_IP, port: peer.port });
      c!.sendChannelData(ch, Buffer.from('same-secret'));
      await waitFor(() => got.length === 1, 10_000, 'echo through coturn');
      expect(got).toEqual(['same-secret']);
      await c!.refresh(0);
      await c!.close();
      // And a wrong secret is refused by coturn exactly as by our relay.
      const bad = await TurnClient.connect({ host: '127.0.0.1', port, ...restCredentials('another-secret-0123456789', 'x', 600), rto: 100 });
      await expect(bad.allocate()).rejects.toMatchObject({ code: 401 });
      await bad.close();
    } finally {
      coturn.kill();
      await peer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
