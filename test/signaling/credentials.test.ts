import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { groupRelays, IceServerBuilder } from '../../server/credentials/ice-servers.js';
import { rendezvousPick } from '../../server/credentials/rendezvous.js';
import { mintTurnCredentials, verifyTurnCredentials } from '../../server/credentials/turn-rest.js';
import type { IceServer } from '../../server/protocol/index.js';
import { join, request, startServer } from './harness.js';

const SECRET = 'test-turn-secret-0123456789';

describe('TURN REST credentials', () => {
  it('username is <expiry>:<peerId>, credential is base64(HMAC-SHA1(secret, username))', () => {
    const now = Date.UTC(2030, 0, 1, 12);
    const c = mintTurnCredentials(SECRET, 'peer123', 3600, now);
    expect(c.username).toBe(`${now / 1000 + 3600}:peer123`);
    expect(c.credential).toBe(createHmac('sha1', SECRET).update(c.username).digest('base64'));
    expect(verifyTurnCredentials(SECRET, c.username, c.credential, now)).toBe(true);
    expect(verifyTurnCredentials(SECRET, c.username, c.credential, now + 3600_000)).toBe(false);
    expect(verifyTurnCredentials('other-secret-0123456789', c.username, c.credential, now)).toBe(false);
    expect(verifyTurnCredentials(SECRET, c.username.replace('peer123', 'peer124'), c.credential, now)).toBe(false);
  });

  it('the join ack and the ice-servers event carry fresh, verifiable credentials with the peer id', async () => {
    const srv = await startServer({ TURN_CREDENTIAL_TTL: '600' });
    const a = await srv.client();
    const ack = await join(a, 'creds');
    const turn = ack.iceServers.find((s) => s.username) as Required<IceServer>;
    const [expiry, id] = turn.username.split(':');
    expect(id).toBe(ack.peerId);
    expect(Number(expiry) - Date.now() / 1000).toBeGreaterThan(590);
    expect(Number(expiry) - Date.now() / 1000).toBeLessThanOrEqual(600);
    expect(verifyTurnCredentials(SECRET, turn.username, turn.credential)).toBe(true);
    expect(turn.urls).toEqual(['turn:203.0.113.10:3478?transport=udp', 'turn:203.0.113.10:3478?transport=tcp']);
    expect(ack.iceServers[0]).toEqual({ urls: ['stun:203.0.113.10:3478'] });
    const fresh = await request<{ ok: true; iceServers: IceServer[]; ttl: number }>(a, 'ice-servers', {});
    expect(fresh.ttl).toBe(600);
    const t2 = fresh.iceServers.find((s) => s.username)!;
    expect(verifyTurnCredentials(SECRET, t2.username!, t2.credential!)).toBe(true);
  });

  it('the embedded relay is advertised on PUBLIC_IP with its bound ports, UDP, TCP and TLS', () => {
    const b = new IceServerBuilder(
      { publicIp: '198.51.100.7', turnSecret: SECRET, turnCredentialTtl: 60 },
      { udp: { address: '0.0.0.0', port: 3478 }, tcp: { address: '0.0.0.0', port: 3478 }, tls: { address: '0.0.0.0', port: 5349 } },
    );
    const { iceServers } = b.build('room', 'pid');
    expect(iceServers[0]).toEqual({ urls: ['stun:198.51.100.7:3478'] });
    expect(iceServers[1]!.urls).toEqual(['turn:198.51.100.7:3478?transport=udp', 'turn:198.51.100.7:3478?transport=tcp', 'turns:198.51.100.7:5349?transport=tcp']);
  });

  it('a dual-stack relay is advertised on PUBLIC_IP and PUBLIC_IP6 (loadConfig)', () => {
    const config = loadConfig({ PUBLIC_IP: '198.51.100.7', PUBLIC_IP6: '2001:db8::7', TURN_SECRET: SECRET });
    expect(config.relay.relayIp6).toBe('2001:db8::7');
    const b = new IceServerBuilder(config, { udp: { address: '::', port: 3478 }, tcp: { address: '::', port: 3478 } });
    const { iceServers } = b.build('room', 'pid');
    expect(iceServers[0]).toEqual({ urls: ['stun:198.51.100.7:3478', 'stun:[2001:db8::7]:3478'] });
    expect(iceServers[1]!.urls).toEqual([
      'turn:198.51.100.7:3478?transport=udp', 'turn:198.51.100.7:3478?transport=tcp',
      'turn:[2001:db8::7]:3478?transport=udp', 'turn:[2001:db8::7]:3478?transport=tcp',
    ]);
  });
});

describe('one relay per room by rendezvous hashing', () => {
  const urls = ['a', 'b', 'c'].flatMap((h) => [`turn:${h}.example:3478?transport=udp`, `turn:${h}.example:3478?transport=tcp`]);

  it('groups URLs by host and gives every peer of a room the same relay', () => {
    expect(groupRelays(urls).map((g) => g.host)).toEqual(['a.example', 'b.example', 'c.example']);
    const b = new IceServerBuilder({ publicIp: '127.0.0.1', turnSecret: SECRET, turnCredentialTtl: 60, turnUrls: urls });
    for (const room of ['r1', 'r2', 'r3', 'r4']) {
      const x = b.build(room, 'p1').iceServers.find((s) => s.username)!;
      const y = b.build(room, 'p2').iceServers.find((s) => s.username)!;
      expect(x.urls).toEqual(y.urls);
      expect(new Set(x.urls.map((u) => u.split(':')[1]))).toHaveLength(1);
    }
  });

  it('spreads rooms evenly and moves about 1/N of them when a relay is added', () => {
    const rooms = Array.from({ length: 10_000 }, (_, i) => `room-${i}`);
    const three = ['r1', 'r2', 'r3'];
    const four = [...three, 'r4'];
    const before = rooms.map((r) => rendezvousPick(r, three, (x) => x)!);
    const after = rooms.map((r) => rendezvousPick(r, four, (x) => x)!);
    const counts = three.map((n) => before.filter((x) => x === n).length);
    for (const c of counts) expect(Math.abs(c - 10_000 / 3)).toBeLessThan(300);
    const moved = before.filter((x, i) => x !== after[i]!).length / rooms.length;
    expect(moved).toBeGreaterThan(0.2);
    expect(moved).toBeLessThan(0.3);
    // Every moved room went to the new relay: nothing shuffles between the old ones.
    expect(before.every((x, i) => x === after[i] || after[i] === 'r4')).toBe(true);
  });
});
