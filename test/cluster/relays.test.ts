/**
 * Several relays sharing TURN_SECRET: each room gets one by rendezvous hashing of its name (both
 * sides of a call use the same relay), adding or removing a relay moves only ~1/N of the rooms,
 * and Debian's coturn with `use-auth-secret` (deploy/turnserver.conf) accepts the credentials the
 * signaling server hands out.
 */
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { groupRelays, IceServerBuilder } from '../../server/credentials/ice-servers.js';
import { rendezvousPick } from '../../server/credentials/rendezvous.js';
import { createLogger } from '../../server/log.js';
import type { IceServer } from '../../server/protocol/index.js';
import { client, closeClients, connected, getJson, join } from './support/clients.js';
import { cleanup, requireTool, startCoturn, type CoturnService } from './support/services.js';

afterAll(async () => {
  closeClients();
  await cleanup();
});

const ROOMS = Array.from({ length: 10_000 }, (_, i) => `room-${i}`);
const relays = (n: number) => Array.from({ length: n }, (_, i) => `relay${i + 1}.example.net`);
const assign = (nodes: string[]) => new Map(ROOMS.map((r) => [r, rendezvousPick(r, nodes, (n) => n)!]));

function spread(a: Map<string, string>, nodes: string[]) {
  const counts = nodes.map((n) => [...a.values()].filter((x) => x === n).length);
  const mean = ROOMS.length / nodes.length;
  return { counts, maxDeviation: Math.max(...counts.map((c) => Math.abs(c - mean) / mean)) };
}

describe('rendezvous hashing of rooms over relays', () => {
  it('3 -> 4 relays moves about 1/4 of 10,000 rooms, all to the new relay; 4 -> 3 moves only the removed one', () => {
    const three = assign(relays(3));
    const four = assign(relays(4));
    const moved = ROOMS.filter((r) => three.get(r) !== four.get(r));
    const s3 = spread(three, relays(3));
    const s4 = spread(four, relays(4));
    // Removing relay2 of 4: only its rooms move, spread over the other three.
    const without2 = relays(4).filter((n) => n !== 'relay2.example.net');
    const after = assign(without2);
    const movedOnRemove = ROOMS.filter((r) => four.get(r) !== after.get(r));
    const s3b = spread(after, without2);
    console.log(
      [
        `[hashing] 10,000 rooms, 3 relays: ${s3.counts.join(' / ')} (max deviation from mean ${(s3.maxDeviation * 100).toFixed(1)}%)`,
        `[hashing] 3 -> 4 relays: ${moved.length} rooms moved (${((moved.length / ROOMS.length) * 100).toFixed(2)}%, ideal 25%), all to the new relay: ${moved.every((r) => four.get(r) === 'relay4.example.net')}`,
        `[hashing] 4 relays: ${s4.counts.join(' / ')} (max deviation ${(s4.maxDeviation * 100).toFixed(1)}%)`,
        `[hashing] 4 -> 3 (relay2 removed): ${movedOnRemove.length} moved (${((movedOnRemove.length / ROOMS.length) * 100).toFixed(2)}%), all from relay2: ${movedOnRemove.every((r) => four.get(r) === 'relay2.example.net')}; now ${s3b.counts.join(' / ')}`,
      ].join('\n'),
    );
    expect(moved.length / ROOMS.length).toBeGreaterThan(0.22);
    expect(moved.length / ROOMS.length).toBeLessThan(0.28);
    expect(moved.every((r) => four.get(r) === 'relay4.example.net')).toBe(true);
    expect(movedOnRemove.every((r) => four.get(r) === 'relay2.example.net')).toBe(true);
    expect(movedOnRemove.length).toBe(s4.counts[1]);
    for (const s of [s3, s4, s3b]) expect(s.maxDeviation).toBeLessThan(0.05);
  });

  it('groups TURN_URLS by host, gives both peers of a room the same relay, and ignores URL order', () => {
    const urls = ['turn:10.0.0.1:3478?transport=udp', 'turn:10.0.0.2:3478?transport=udp', 'turns:10.0.0.1:5349?transport=tcp', 'turn:[2001:db8::3]:3478'];
    expect(groupRelays(urls).map((g) => [g.host, g.urls.length])).toEqual([['10.0.0.1', 2], ['10.0.0.2', 1], ['[2001:db8::3]', 1]]);
    const cfg = { publicIp: '127.0.0.1', turnSecret: 's'.repeat(20), turnCredentialTtl: 600 };
    const b1 = new IceServerBuilder({ ...cfg, turnUrls: urls });
    const b2 = new IceServerBuilder({ ...cfg, turnUrls: [...urls].reverse() }); // another node, other order
    for (const room of ROOMS.slice(0, 200)) {
      const x = b1.build(room, 'peer-x').iceServers;
      const y = b2.build(room, 'peer-y').iceServers;
      expect(new Set(x.flatMap((s) => s.urls))).toEqual(new Set(y.flatMap((s) => s.urls)));
      expect(x.find((s) => s.username)?.username).toMatch(/:peer-x$/);
    }
  });
});

function uclient(server: { ip: string; port: number }, username: string, credential: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    // -y: two clients allocate on the relay and send to each other through it; -c: no RTCP pair.
    const p = spawn('turnutils_uclient', ['-y', '-c', '-n', '3', '-l', '64', '-m', '1', '-u', username, '-w', credential, '-p', String(server.port), server.ip]);
    let out = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const t = setTimeout(() => p.kill('SIGKILL'), 25_000);
    p.on('exit', (code) => {
      clearTimeout(t);
      resolve({ code, out });
    });
  });
}

const turnEntry = (servers: IceServer[]) => servers.find((s) => s.username && s.credential)!;

describe('coturn (use-auth-secret) as one of several relays', () => {
  it('allocates with the credentials from a join ack and from GET /api/ice-servers, on the relay the room hashes to', async () => {
    requireTool('turnutils_uclient', 'coturn');
    const secret = 'shared-turn-secret-0123456789';
    const coturns: CoturnService[] = [await startCoturn('127.0.0.1', secret), await startCoturn('127.0.0.2', secret)];
    const turnUrls = coturns.flatMap((c) => [`turn:${c.ip}:${c.port}?transport=udp`, `turn:${c.ip}:${c.port}?transport=tcp`]);
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', TURN_ENABLED: 'false', TURN_SECRET: secret, TURN_URLS: turnUrls.join(','), LOG_LEVEL: 'silent' });
    const app = createApp(config, { log: createLogger('silent'), relayFactory: null });
    const { url } = await app.start();
    try {
      const builder = new IceServerBuilder(config);
      const runs: Array<Promise<void>> = [];
      for (const c of coturns) {
        const room = ROOMS.find((r) => builder.relayFor(r)?.host === c.ip)!;
        // Both sides of a call get this relay, each with its own credentials.
        const acks = [];
        for (const name of ['alice', 'bob']) acks.push(await join(await connected(client(url)), room, { name }));
        const http = await getJson<{ iceServers: IceServer[] }>(`${url}/api/ice-servers?room=${room}`);
        const entries = [...acks.map((a) => turnEntry(a.iceServers)), turnEntry(http.body.iceServers)];
        for (const e of entries) {
          expect(e.urls.every((u) => u.includes(`${c.ip}:${c.port}`))).toBe(true);
          runs.push(
            uclient(c, e.username!, e.credential!).then((r) => {
              expect(r.out, `turnutils_uclient against coturn ${c.ip}:${c.port}`).toMatch(/Total lost packets 0 /);
              expect(r.code).toBe(0);
              expect(Number([...r.out.matchAll(/tot_recv_msgs=(\d+)/g)].at(-1)?.[1])).toBeGreaterThan(0); // the total line
            }),
          );
        }
        // A wrong credential is refused by coturn.
        runs.push(
          uclient(c, entries[0]!.username!, 'not-the-credential').then((bad) => {
            expect(bad.code).not.toBe(0);
            expect(bad.out).toMatch(/Cannot complete Allocation/);
          }),
        );
      }
      await Promise.all(runs); // the uclient runs take seconds each: in parallel
    } finally {
      await app.stop();
    }
  }, 90_000);
});
