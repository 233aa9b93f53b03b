/**
 * Test-side helpers for the NAT suite: one Chromium per host namespace, rooms opened on a chosen
 * server, and the selected ICE candidate pair read from the page's own RTCPeerConnections.
 *
 * The client's hook (`window.switchboard`) gives the selected pair's candidate types; it does not
 * expose `relayProtocol` (udp / tcp / tls between browser and relay) or the relay candidate's
 * address. An init script therefore wraps `RTCPeerConnection` with a Proxy that only records each
 * instance, and `selectedPair()` reads `getStats()` from them. Nothing about the connection changes.
 */
import type { Browser, Page } from 'playwright-core';
import { inject } from 'vitest';
import { launchChromium, openPage, poll } from '../support/browser.js';
import { type Client, type HookState, roomName } from '../support/e2e.js';
import type { NatContext, ServerRole } from './setup.js';

export { poll, roomName };
export type { Client, HookState };

export function nat(): NatContext {
  return inject('nat');
}

const browsers = new Map<string, Promise<Browser>>();

/** The Chromium of a host namespace (launched once, shared by the cases using that host). */
export function browserIn(hostId: string): Promise<Browser> {
  let b = browsers.get(hostId);
  if (!b) {
    const c = nat();
    const exe = c.chromium[hostId];
    const host = c.hosts.find((h) => h.id === hostId);
    if (!exe || !host) throw new Error(`no host namespace ${hostId}`);
    const extra = host.kind === 'tls-only' && c.trustTurnCertArg ? [c.trustTurnCertArg] : [];
    const origins = Object.values(c.servers).flatMap((s) => (s.baseUrl6 ? [s.baseUrl, s.baseUrl6] : [s.baseUrl]));
    b = launchChromium(exe, { fakeMedia: true, secureOrigins: origins, extra });
    browsers.set(hostId, b);
  }
  return b;
}

export async function closeBrowsers(): Promise<void> {
  await Promise.all([...browsers.values()].map(async (b) => (await b.catch(() => null))?.close().catch(() => undefined)));
  browsers.clear();
}

function recordPeerConnections(): void {
  const w = window as unknown as { RTCPeerConnection: typeof RTCPeerConnection; __natPcs: RTCPeerConnection[] };
  const pcs: RTCPeerConnection[] = [];
  Object.defineProperty(window, '__natPcs', { value: pcs });
  w.RTCPeerConnection = new Proxy(w.RTCPeerConnection, {
    construct(target, args, newTarget) {
      const pc = Reflect.construct(target, args, newTarget) as RTCPeerConnection;
      pcs.push(pc);
      return pc;
    },
  });
}

export interface NatClient extends Client {
  host: string;
  selectedPair(): Promise<SelectedPair | null>;
}

/** Open `/r/<room>` on server `role` from host `hostId`, as `name` (an IPv6-only host: over IPv6). `query`: e.g. `relay=1`. */
export async function openRoomOn(role: ServerRole, hostId: string, room: string, name: string, query = ''): Promise<NatClient> {
  const server = nat().servers[role];
  const base = nat().hosts.find((h) => h.id === hostId)?.kind === 'ipv6-only' ? server.baseUrl6 : server.baseUrl;
  if (!base) throw new Error(`server ${role} has no IPv6 address for host ${hostId}`);
  const { context, page, logs } = await openPage(await browserIn(hostId), `${base}/`);
  await context.addInitScript(recordPeerConnections);
  await page.evaluate((n) => localStorage.setItem('switchboard.name', n), name);
  await page.goto(`${base}/r/${room}${query ? `?${query}` : ''}`);
  // web/dist is shared with whoever builds it: say so plainly if the client did not start.
  await poll(`the client to start on ${base} (is web/dist being rebuilt?)`, () => page.evaluate(() => 'switchboard' in window), 20_000);
  return {
    host: hostId,
    page,
    logs,
    state: () => page.evaluate(() => (window as unknown as { switchboard: { state(): HookState } }).switchboard.state()),
    selectedPair: () => selectedPair(page),
    close: () => context.close(),
  };
}

export interface CandidateInfo {
  candidateType: string;
  protocol: string;
  /** Browser <-> relay transport of a relay candidate: udp, tcp or tls. */
  relayProtocol: string | null;
  address: string;
  port: number;
  url: string | null;
}

export interface SelectedPair {
  pairId: string;
  local: CandidateInfo;
  remote: CandidateInfo;
  bytesSent: number;
  bytesReceived: number;
  /** Every local candidate gathered, as "type/relayProtocol" (e.g. "srflx/", "relay/tls"). */
  gathered: string[];
  /** Every remote candidate, as "type address" (address "" when hidden behind an mDNS name). */
  remoteSeen: string[];
  connectionState: string;
  /** 'complete' once every candidate (every allocation) has been gathered. */
  gatheringState: string;
}

/** The selected pair of the page's connected RTCPeerConnection (the newest, when several). */
export async function selectedPair(page: Page): Promise<SelectedPair | null> {
  return page.evaluate(async () => {
    const pcs = ((window as unknown as { __natPcs?: RTCPeerConnection[] }).__natPcs ?? []).filter((p) => p.connectionState === 'connected');
    const pc = pcs[pcs.length - 1];
    if (!pc) return null;
    const stats = new Map<string, Record<string, unknown>>();
    (await pc.getStats()).forEach((s: Record<string, unknown>) => stats.set(String(s.id), s));
    const transport = [...stats.values()].find((s) => s.type === 'transport' && typeof s.selectedCandidatePairId === 'string');
    const pair = transport && stats.get(String(transport.selectedCandidatePairId));
    if (!pair) return null;
    const cand = (id: unknown) => {
      const c = stats.get(String(id)) ?? {};
      return {
        candidateType: String(c.candidateType ?? ''),
        protocol: String(c.protocol ?? ''),
        relayProtocol: typeof c.relayProtocol === 'string' ? c.relayProtocol : null,
        address: String(c.address ?? ''),
        port: Number(c.port ?? 0),
        url: typeof c.url === 'string' ? c.url : null,
      };
    };
    const gathered = [...stats.values()].filter((s) => s.type === 'local-candidate').map((s) => `${String(s.candidateType)}/${typeof s.relayProtocol === 'string' ? s.relayProtocol : ''}`);
    const remoteSeen = [...stats.values()].filter((s) => s.type === 'remote-candidate').map((s) => `${String(s.candidateType)} ${String(s.address ?? '')}`);
    return {
      pairId: String(pair.id),
      local: cand(pair.localCandidateId),
      remote: cand(pair.remoteCandidateId),
      bytesSent: Number(pair.bytesSent ?? 0),
      bytesReceived: Number(pair.bytesReceived ?? 0),
      gathered: [...new Set(gathered)].sort(),
      remoteSeen: [...new Set(remoteSeen)].sort(),
      connectionState: pc.connectionState,
      gatheringState: pc.iceGatheringState,
    };
  });
}

/** Wait until the client is connected to its one peer and stats name the selected pair's types. */
export async function waitConnectedPath(c: NatClient, timeoutMs = 45_000): Promise<HookState['peers'][number]> {
  return poll(`${c.host}: connected with a known path`, async () => {
    const s = await c.state();
    const p = s.peers[0];
    return s.status === 'joined' && p?.conn === 'connected' && p.path !== 'unknown' ? p : null;
  }, timeoutMs).catch(async (err: Error) => {
    throw new Error(`${err.message}\nstate: ${JSON.stringify(await c.state().catch(() => null))}\nconsole: ${c.logs.slice(-10).join('\n')}`);
  });
}

/** Send `text` from `from` (through the page's chat box) and wait until `to` shows it. */
export async function chat(from: Client, to: Client, text: string, timeoutMs = 15_000): Promise<void> {
  await from.page.fill('[data-testid=chat-input]', text);
  await from.page.click('[data-testid=chat-send]');
  await poll(`chat "${text}" delivered`, async () => (await to.state()).chat.some((m) => !m.self && m.text === text), timeoutMs);
}

export interface RelayStats {
  allocations: number;
  allocationsTotal: number;
  bytesToPeers: number;
  bytesToClients: number;
  permissions: number;
  channels: number;
}

/** GET /api/stats of the server the page is on, fetched by the page (the test process has no route there). */
export async function relayStats(c: Client): Promise<RelayStats> {
  const s = await c.page.evaluate(() => fetch('/api/stats').then((r) => r.json()) as Promise<{ relay: RelayStats | null }>);
  if (!s.relay) throw new Error('the server reports no relay stats');
  return s.relay;
}

/** The ICE servers the server hands out (GET /api/ice-servers), as the page sees them. */
export async function iceServerUrls(c: Client): Promise<string[]> {
  const r = await c.page.evaluate(() => fetch('/api/ice-servers').then((x) => x.json()) as Promise<{ iceServers: Array<{ urls: string | string[] }> }>);
  return r.iceServers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]));
}
