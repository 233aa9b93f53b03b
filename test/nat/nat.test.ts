/**
 * Real NAT: two Chromiums in different host namespaces, each behind its own router namespace doing
 * kernel NAT (iptables), meet through the signaling server in the public namespace. Each case
 * asserts the selected candidate pair, not just "connected". Topology: test/nat/README.md.
 *
 * The cases run concurrently (each in its own room, on its own pages): the ICE failure case takes
 * the longest (the client retries 4 times before it says "failed"), the lifetime case waits out
 * more than two allocation lifetimes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerRole } from './setup.js';
import { isIPv4 } from 'node:net';
import { PORTS, SERVER_IP, SERVER_IP6, globalAddresses, probeMapping } from './topology.js';
import { type NatClient, type SelectedPair, chat, closeBrowsers, iceServerUrls, nat, openRoomOn, poll, relayStats, roomName, waitConnectedPath } from './harness.js';

const ctx = nat();
const DIRECT = ['srflx', 'prflx'];
const open: NatClient[] = [];

/** Alice (host a) joins first, Bob (host b) second: Bob is the newcomer and sends the offer. */
async function call(role: ServerRole, a: string, b: string, prefix: string, query = ''): Promise<[NatClient, NatClient]> {
  const room = roomName(prefix);
  const alice = await openRoomOn(role, a, room, `Alice@${a}`, query);
  open.push(alice);
  await poll('alice joined', async () => (await alice.state()).status === 'joined');
  const bob = await openRoomOn(role, b, room, `Bob@${b}`, query);
  open.push(bob);
  return [alice, bob];
}

/** Connected on both sides; returns each side's selected pair (hook types checked against getStats). */
async function connected(tag: string, ...clients: NatClient[]): Promise<SelectedPair[]> {
  const pairs: SelectedPair[] = [];
  for (const c of clients) {
    await waitConnectedPath(c);
    // The hook samples getStats once a second, and Chromium may still switch pairs right after
    // connecting: wait until both views agree.
    const pair = await poll(`${c.host}: hook and getStats name the same pair types`, async () => {
      const [p, peer] = await Promise.all([c.selectedPair(), c.state().then((s) => s.peers[0])]);
      return p && peer?.localType === p.local.candidateType && peer.remoteType === p.remote.candidateType ? p : null;
    });
    console.log(`[nat] case ${tag}, ${c.host}: selected pair ${describePair(pair)}; gathered ${pair.gathered.join(' ')}; remote candidates ${pair.remoteSeen.join(', ')}`);
    pairs.push(pair);
  }
  return pairs;
}

function describePair(p: SelectedPair): string {
  const side = (c: SelectedPair['local']) => `${c.candidateType}${c.relayProtocol ? `(${c.relayProtocol})` : ''}`;
  return `local ${side(p.local)} -> remote ${side(p.remote)}`;
}

const isRelayed = (p: SelectedPair) => p.local.candidateType === 'relay' || p.remote.candidateType === 'relay';

async function chatBothWays(a: NatClient, b: NatClient, tag: string): Promise<void> {
  await chat(a, b, `${tag}: hello from ${a.host}`);
  await chat(b, a, `${tag}: hello from ${b.host}`);
}

if (ctx.notRun) {
  describe('NAT traversal', () => {
    it.skip(`NOT RUN: ${ctx.notRun}`, () => undefined);
  });
}

describe.skipIf(ctx.notRun)('NAT traversal (real kernel NAT in network namespaces)', { concurrent: true }, () => {
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close().catch(() => undefined)));
    await closeBrowsers();
  });

  it('0. the routers NAT as claimed (STUN Binding from one socket to two relays)', async () => {
    const targets: Array<[string, number]> = [[SERVER_IP, PORTS.relayTurn], [SERVER_IP, PORTS.lifetimeTurn]];
    // (The IPv6-only host has no IPv4 route at all: case 7 checks it.)
    const probes = await Promise.all(ctx.hosts.filter((h) => h.kind !== 'ipv6-only').map(async (h) => ({ h, p: await probeMapping(h.ns, targets) })));
    for (const { h, p } of probes) {
      console.log(`[nat] ${h.id} (${h.kind}): local port ${p.local} -> ${p.mapped.map((m) => m ?? 'no answer').join(', ')}`);
      const ports = p.mapped.map((m) => Number(m?.split(':')[1]));
      switch (h.kind) {
        case 'symmetric': // endpoint-dependent mapping: another public port per destination
          expect(p.mapped.map((m) => m?.split(':')[0])).toEqual([h.wanIp, h.wanIp]);
          expect(ports[0]).not.toBe(ports[1]);
          break;
        case 'cone': // endpoint-independent, port-preserving mapping
          expect(p.mapped).toEqual([`${h.wanIp}:${p.local}`, `${h.wanIp}:${p.local}`]);
          break;
        default: // no UDP leaves the LAN
          expect(p.mapped).toEqual([null, null]);
      }
    }
  });

  it('2. symmetric <-> symmetric, STUN only: ICE fails and the page says "Connection failed"', { timeout: 270_000 }, async () => {
    const [alice, bob] = await call('stun', 'sym1', 'sym2', 'symstun');
    expect(await iceServerUrls(alice)).toEqual([expect.stringMatching(/^stun:/)]);
    // Bob initiates and retries 4 times (fresh connection each time) before giving up.
    let everConnected = false;
    const failed = await poll('bob gives up: conn "failed"', async () => {
      const [sa, sb] = await Promise.all([alice.state(), bob.state()]);
      if ([sa, sb].some((s) => s.peers.some((p) => p.conn === 'connected'))) everConnected = true;
      return sb.peers[0]?.conn === 'failed' ? sb.peers[0] : null;
    }, 240_000, 250);
    expect(everConnected).toBe(false);
    expect(failed.attempts).toBe(4);
    // The page shows it (it re-renders at most every 200 ms): the badge, and simple-peer's code
    // for an ICE (iceConnectionState) or ICE+DTLS (connectionState) failure as the detail.
    const row = bob.page.locator('[data-testid=peer-row][data-conn=failed]');
    await poll('bob\'s page shows the failure', async () => (await row.count()) === 1);
    expect(await row.locator('[data-testid=peer-state]').textContent()).toBe('Connection failed');
    expect(await row.locator('[data-testid=peer-detail]').textContent()).toMatch(/^ERR_(ICE_)?CONNECTION_FAILURE$/);
    expect((await alice.state()).peers[0]?.conn).not.toBe('connected');
  });

  it('1. port-restricted cone <-> cone, STUN only: direct (server- or peer-reflexive), no relay', async () => {
    const [alice, bob] = await call('stun', 'cone1', 'cone2', 'cone');
    expect(await iceServerUrls(alice)).toEqual([expect.stringMatching(/^stun:/)]);
    const pairs = await connected('1', alice, bob);
    for (const p of pairs) {
      expect(DIRECT).toContain(p.local.candidateType);
      expect(DIRECT).toContain(p.remote.candidateType);
      expect(p.gathered.some((g) => g.startsWith('relay'))).toBe(false);
    }
    await chatBothWays(alice, bob, 'cone');
  });

  it('3. symmetric <-> symmetric with the bundled relay: relayed, chat both ways, video decoded', async () => {
    const [alice, bob] = await call('relay', 'sym1', 'sym2', 'symrelay');
    const pairs = await connected('3', alice, bob);
    for (const p of pairs) expect(isRelayed(p)).toBe(true);
    await chatBothWays(alice, bob, 'sym-relay');
    await alice.page.click('[data-testid=start-call]');
    await bob.page.click('[data-testid=start-call]');
    for (const c of [alice, bob]) {
      await poll(`${c.host} decodes remote video`, async () => {
        const p = (await c.state()).peers[0];
        return p && p.framesDecoded > 0 && p.hasStream;
      }, 30_000);
    }
    const relay = await relayStats(alice);
    expect(relay.bytesToPeers).toBeGreaterThan(0);
    expect(relay.bytesToClients).toBeGreaterThan(0);
  });

  it('4. symmetric <-> port-restricted cone with the relay: connects, relayed', async () => {
    const [alice, bob] = await call('relay', 'sym1', 'cone1', 'symcone');
    const pairs = await connected('4', alice, bob);
    for (const p of pairs) expect(isRelayed(p)).toBe(true);
    await chatBothWays(alice, bob, 'sym-cone');
  });

  it('5a. UDP-blocked <-> symmetric: through TURN over TCP', async () => {
    const [alice, bob] = await call('relay', 'udpb', 'sym2', 'udpblocked');
    const [pa] = await connected('5a', alice, bob);
    expect(pa!.local.candidateType).toBe('relay');
    expect(pa!.local.relayProtocol).toBe('tcp');
    // UDP never left the LAN: no server-reflexive candidate, no UDP allocation. And Chromium, with
    // its default trust, refuses the relay's self-signed certificate: no TLS allocation either.
    expect(pa!.gathered.filter((g) => g === 'srflx/' || g === 'relay/udp' || g === 'relay/tls')).toEqual([]);
    await chatBothWays(alice, bob, 'udp-blocked');
  });

  it.runIf(ctx.tls)('5b. TLS-only (UDP blocked, TCP only to the relay\'s TLS port) <-> symmetric: through TURN over TLS', async () => {
    const [alice, bob] = await call('relay', 'tlsb', 'sym2', 'tlsonly');
    const [pa] = await connected('5b', alice, bob);
    expect(pa!.local.candidateType).toBe('relay');
    expect(pa!.local.relayProtocol).toBe('tls');
    expect(pa!.gathered.filter((g) => g !== 'host/' && g !== 'relay/tls')).toEqual([]);
    await chatBothWays(alice, bob, 'tls-only');
  });

  it(`6. a relayed call outlives more than two allocation lifetimes`, { timeout: 240_000 }, async () => {
    const lifetimeMs = ctx.lifetimeSeconds * 1000;
    const [alice, bob] = await call('lifetime', 'sym1', 'sym2', 'lifetime');
    const before = await connected('6', alice, bob);
    for (const p of before) expect(isRelayed(p)).toBe(true);
    const generation = (await alice.state()).peers[0]!.generation;
    // Every allocation made (gathering complete) before the relay's counters are read.
    for (const c of [alice, bob]) await poll(`${c.host}: ICE gathering complete`, async () => (await c.selectedPair())?.gatheringState === 'complete');
    const stats0 = await relayStats(alice);
    const started = Date.now();
    // Keep talking (both ways, every few seconds) until 2.2 lifetimes have passed: any lapse in
    // the refreshes would expire an allocation and stop delivery.
    for (let i = 0; Date.now() - started < lifetimeMs * 2.2; i++) {
      const [from, to] = i % 2 ? [bob, alice] : [alice, bob];
      await chat(from, to, `tick ${i}`, 10_000);
      await new Promise((r) => setTimeout(r, 3_000)); // pacing between messages, not a wait for state
    }
    const after = await Promise.all([alice, bob].map((c) => poll('selected pair', () => c.selectedPair())));
    const stats1 = await relayStats(alice);
    console.log(`[nat] case 6: ${Math.round((Date.now() - started) / 1000)} s relayed; pairs at the end: ${after.map(describePair).join(' / ')}; relay stats before ${JSON.stringify(stats0)} after ${JSON.stringify(stats1)}`);
    // The same connection (no reconnect), still relayed, and the relay made no allocation since
    // the call connected: the allocations carrying it now are more than two lifetimes old, so
    // Chromium's Refresh requests kept them alive.
    expect((await alice.state()).peers[0]!.generation).toBe(generation);
    expect((await bob.state()).peers[0]!.conn).toBe('connected');
    for (const p of after) expect(isRelayed(p)).toBe(true);
    expect(stats1.allocationsTotal).toBe(stats0.allocationsTotal);
    expect(stats1.allocations).toBeGreaterThanOrEqual(1);
    expect(stats1.bytesToPeers).toBeGreaterThan(stats0.bytesToPeers);
    expect(stats1.bytesToClients).toBeGreaterThan(stats0.bytesToClients);
  });

  // Chromium (156) sends Allocate with REQUESTED-TRANSPORT only, also over IPv6: no
  // REQUESTED-ADDRESS-FAMILY, no ADDITIONAL-ADDRESS-FAMILY (captured on br0, test/nat/README.md).
  // So the relay allocates IPv4 (RFC 8656 section 7.2's default) for the IPv6-only browser too:
  // reached over IPv6, relaying to IPv4. Its IPv4 relay candidate pairs with the IPv4 host's.
  it('7. IPv6-only <-> IPv4-only through the dual-stack relay: reached over IPv6, IPv4 relayed address', async () => {
    const v6 = ctx.hosts.find((h) => h.kind === 'ipv6-only')!;
    const v4 = ctx.hosts.find((h) => h.id === 'cone2')!;
    // The families are as claimed: one host has no IPv4 but loopback, the other no IPv6 but link-local.
    expect(globalAddresses(v6.ns)).toEqual({ v4: [], v6: [v6.lanIp] });
    expect(globalAddresses(v4.ns)).toEqual({ v4: [v4.lanIp], v6: [] });
    const relayUrl6 = new RegExp(`^turn:\\[${SERVER_IP6}\\]:${PORTS.dualTurn}\\?`);
    // ?relay=1: the app's "Relay only" switch (iceTransportPolicy relay), so that each side's own
    // candidate is a relay one; without it the IPv4 side pairs its srflx with the IPv6 side's relay.
    for (const query of ['', 'relay=1']) {
      const tag = `7${query ? ' relay-only' : ''}`;
      const [alice, bob] = await call('dual', v6.id, v4.id, query ? 'dualrelay' : 'dualstack', query);
      if (!query) {
        const urls = await iceServerUrls(alice);
        expect(urls).toContain(`turn:[${SERVER_IP6}]:${PORTS.dualTurn}?transport=udp`);
        expect(urls).toContain(`turn:${SERVER_IP}:${PORTS.dualTurn}?transport=udp`);
      }
      const [pa, pb] = await connected(tag, alice, bob);
      // The IPv6-only side: its relay candidate, allocated through the relay's IPv6 URL, is IPv4.
      // (Over UDP or TCP: with the relay policy Chromium sometimes connects over the TCP allocation
      // before the UDP one is gathered.)
      expect(pa!.local).toMatchObject({ candidateType: 'relay', address: SERVER_IP });
      expect(['udp', 'tcp']).toContain(pa!.local.relayProtocol);
      expect(pa!.local.url).toMatch(relayUrl6);
      expect(isIPv4(pa!.remote.address)).toBe(true);
      // The IPv4 side talks to exactly that relayed address.
      expect(pb!.remote).toMatchObject({ candidateType: 'relay', address: SERVER_IP, port: pa!.local.port });
      if (query) {
        expect(pb!.local).toMatchObject({ candidateType: 'relay', address: SERVER_IP });
        expect(pb!.local.url).toMatch(new RegExp(`^turns?:${SERVER_IP.replace(/\./g, '\\.')}:`));
        expect(pa!.remote).toMatchObject({ candidateType: 'relay', address: SERVER_IP, port: pb!.local.port });
      }
      await chatBothWays(alice, bob, `dual-stack${query ? ' relay-only' : ''}`);
    }
  });
});
