/**
 * The NAT test network, built from network namespaces, veth pairs, a bridge and iptables (root
 * only). See test/nat/README.md for the diagram. Everything lives in namespaces named
 * `sbnat-<pid>-*` (pid: the vitest process that made them), so leftovers of a killed run are found
 * by prefix and told apart from a run that is still going.
 *
 *   public namespace  : bridge br0 198.51.100.10/24 and 2001:db8:100::10/64 (the servers), one
 *                       veth per router
 *   router namespaces : wan0 198.51.100.<20+i>/24, lan0 10.0.<i>.1/24, forwarding + NAT rules
 *   host namespaces   : eth0 10.0.<i>.2/24, default via 10.0.<i>.1 (Chromium runs here)
 *   IPv6-only host    : eth0 2001:db8:<i>::2/64 behind a router (wan0 2001:db8:100::<20+i>/64)
 *                       that forwards without NAT and drops unsolicited inbound; no IPv4 but
 *                       loopback. The IPv4 hosts have no IPv6 route: they never see br0's IPv6.
 *
 * Only documentation (198.51.100.0/24, 2001:db8::/32) and private (10.0.0.0/16) addresses, all
 * inside the namespaces; there is no route to anything else.
 */
import { execFile, execFileSync } from 'node:child_process';
import { Netns, deleteNamespace, listNamespaces } from '../support/netns.js';

export const NAT_PREFIX = 'sbnat-';
export const PUBLIC_NET = '198.51.100';
export const SERVER_IP = `${PUBLIC_NET}.10`;
/** The public network's IPv6 prefix (/64, documentation range RFC 3849) and the servers' address on it. */
export const PUBLIC_NET6 = '2001:db8:100:';
export const SERVER_IP6 = `${PUBLIC_NET6}:10`;

/** Fixed ports: the public namespace is ours alone, so nothing else can hold them. */
export const PORTS = {
  /** Server with the bundled relay (cases 3, 4, 5). */
  relayHttp: 8080,
  relayTurn: 3478,
  relayTurnTls: 5349,
  /** STUN-only signaling server (cases 1, 2): TURN_ENABLED=false, STUN from the relay above. */
  stunHttp: 8081,
  /** Server whose relay serves only the lifetime case (6), so its counters are that call's alone. */
  lifetimeHttp: 8082,
  lifetimeTurn: 3479,
  /** Signaling server whose relay is a separate process the relay-restart case kills (recovery.test.ts). */
  restartHttp: 8083,
  restartTurn: 3480,
  /** Dual-stack server (HOST and TURN_LISTEN_IP `::`, PUBLIC_IP6): the IPv6-only host's case (7). */
  dualHttp: 8084,
  dualTurn: 3481,
} as const;

export type NatKind = 'symmetric' | 'cone' | 'udp-blocked' | 'tls-only' | 'ipv6-only';

export interface HostSpec {
  /** Short id, also in namespace names (sym1, cone2, ...). */
  id: string;
  kind: NatKind;
  /**
   * A second router of the same kind, its LAN cabled to the host's eth1 (down, no address): the
   * network the host moves to in the recovery cases (`switchNetwork`).
   */
  spare?: boolean;
}

/** One LAN per host, each behind its own router (two peers never share a NAT). */
export const HOSTS: readonly HostSpec[] = [
  { id: 'sym1', kind: 'symmetric' },
  { id: 'sym2', kind: 'symmetric' },
  { id: 'cone1', kind: 'cone' },
  { id: 'cone2', kind: 'cone' },
  { id: 'udpb', kind: 'udp-blocked' },
  { id: 'tlsb', kind: 'tls-only' },
  // The recovery cases (recovery.test.ts) disturb their hosts' networks: hosts of their own.
  { id: 'sym3', kind: 'symmetric', spare: true },
  { id: 'sym4', kind: 'symmetric' },
  { id: 'cone3', kind: 'cone', spare: true },
  { id: 'cone4', kind: 'cone' },
  // IPv6 only (case 7): reaches nothing IPv4; only the dual-stack relay joins it to IPv4 hosts.
  { id: 'v6', kind: 'ipv6-only' },
];

export interface HostInfo extends HostSpec {
  /** Namespace Chromium runs in. */
  ns: string;
  router: string;
  lanIp: string;
  wanIp: string;
  /** The spare router (see HostSpec.spare): its namespace, the host's address behind it, its gateway. */
  spareRouter?: { router: string; lanIp: string; gateway: string; wanIp: string };
}

export interface Topology {
  runId: string;
  publicNs: string;
  /** The public namespace (servers are started inside it). */
  pub: Netns;
  hosts: HostInfo[];
  namespaces: string[];
}

function nsName(runId: string, role: string): string {
  return `${NAT_PREFIX}${runId}-${role}`;
}

/** Run commands one after another, asynchronously (hosts are built in parallel); `stdin` for the last. */
async function runAll(cmds: string[][], stdin?: string): Promise<void> {
  for (const [i, [cmd, ...args]] of cmds.entries()) {
    await new Promise<void>((resolve, reject) => {
      const child = execFile(cmd!, args, (err, _out, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr.trim() || err.message}`)) : resolve()));
      if (stdin !== undefined && i === cmds.length - 1) child.stdin!.end(stdin);
      else child.stdin!.end();
    });
  }
}

/**
 * Common to every router (IPv4 and IPv6): unsolicited inbound is dropped, both to the router
 * itself (INPUT: without it the kernel answers with ICMP and confirms a conntrack entry that
 * breaks later mappings on that port) and through it (FORWARD).
 */
const INBOUND_DROP = [
  '-A INPUT -i wan0 -m conntrack --ctstate NEW,INVALID -j DROP',
  '-A FORWARD -i wan0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
  '-A FORWARD -i wan0 -j DROP',
];

/** An IPv4 router's rules, as iptables-restore input: INBOUND_DROP and the NAT of its kind. */
function natRules(kind: Exclude<NatKind, 'ipv6-only'>): string {
  const filter = [...INBOUND_DROP];
  let nat: string;
  switch (kind) {
    case 'symmetric':
      // A fresh random public port for every new 5-tuple: endpoint-dependent mapping.
      nat = '-A POSTROUTING -o wan0 -j MASQUERADE --random-fully';
      break;
    case 'cone':
      // Source port kept when free: endpoint-independent mapping; conntrack + the drops above give
      // address-and-port-dependent filtering, i.e. a port-restricted cone.
      nat = '-A POSTROUTING -o wan0 -j MASQUERADE';
      break;
    case 'udp-blocked':
    case 'tls-only': {
      // Only TCP to the signaling server and the relay's TCP and TLS ports (tls-only: its TLS
      // port alone, like a firewall that lets nothing but HTTPS-style traffic out) leaves the LAN.
      const ports = kind === 'udp-blocked' ? [PORTS.relayHttp, PORTS.relayTurn, PORTS.relayTurnTls] : [PORTS.relayHttp, PORTS.relayTurnTls];
      filter.push(`-A FORWARD -i lan0 -p tcp -d ${SERVER_IP} -m multiport --dports ${ports.join(',')} -j ACCEPT`, '-A FORWARD -i lan0 -j DROP');
      nat = '-A POSTROUTING -o wan0 -j MASQUERADE';
      break;
    }
  }
  return ['*filter', ...filter, 'COMMIT', '*nat', nat, 'COMMIT', ''].join('\n');
}

/** Build the whole network (the hosts in parallel). On error, whatever was made is deleted before rethrowing. */
export async function buildTopology(runId = String(process.pid)): Promise<Topology> {
  const made: string[] = [];
  try {
    const pub = Netns.create(nsName(runId, 'pub'));
    made.push(pub.name);
    pub.ip('link', 'add', 'br0', 'type', 'bridge');
    pub.ip('link', 'set', 'br0', 'up');
    pub.addAddress('br0', `${SERVER_IP}/24`);
    // nodad: usable at once (a tentative address cannot be bound, and DAD takes a second or two).
    pub.ip('addr', 'add', `${SERVER_IP6}/64`, 'dev', 'br0', 'nodad');

    const settled = await Promise.allSettled(HOSTS.map(async (spec, i): Promise<HostInfo> => {
      const n = i + 1;
      if (spec.kind === 'ipv6-only') return ipv6Host(runId, pub.name, spec, n, made);
      const wanIp = `${PUBLIC_NET}.${20 + n}`;
      const lanIp = `10.0.${n}.2`;
      const r = nsName(runId, `r-${spec.id}`);
      const h = nsName(runId, `h-${spec.id}`);
      made.push(r, h);
      const wanPeer = `p-${spec.id}`;
      await runAll([
        ...routerAndHost(pub.name, r, h, wanPeer, { wan: `${wanIp}/24`, gateway: `10.0.${n}.1`, lan: `${lanIp}/24` }),
        ['ip', 'netns', 'exec', r, 'sysctl', '-qw', 'net.ipv4.ip_forward=1'],
        ['ip', 'netns', 'exec', r, 'iptables-restore', '-w'],
      ], natRules(spec.kind));
      if (!spec.spare) return { ...spec, ns: h, router: r, lanIp, wanIp };
      const m = n + 100;
      const r2 = nsName(runId, `r2-${spec.id}`);
      made.push(r2);
      const spare = { router: r2, lanIp: `10.0.${m}.2`, gateway: `10.0.${m}.1`, wanIp: `${PUBLIC_NET}.${20 + m}` };
      await runAll([
        ['ip', 'netns', 'add', r2],
        ['ip', '-n', r2, 'link', 'set', 'lo', 'up'],
        ['ip', '-n', r2, 'link', 'add', 'wan0', 'type', 'veth', 'peer', 'name', `q-${spec.id}`, 'netns', pub.name],
        ['ip', '-n', pub.name, 'link', 'set', `q-${spec.id}`, 'master', 'br0', 'up'],
        ['ip', '-n', r2, 'addr', 'add', `${spare.wanIp}/24`, 'dev', 'wan0'],
        ['ip', '-n', r2, 'link', 'set', 'wan0', 'up'],
        // The host's second interface: cabled, but down and without an address until the move.
        ['ip', '-n', r2, 'link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', 'eth1', 'netns', h],
        ['ip', '-n', r2, 'addr', 'add', `${spare.gateway}/24`, 'dev', 'lan0'],
        ['ip', '-n', r2, 'link', 'set', 'lan0', 'up'],
        ['ip', 'netns', 'exec', r2, 'sysctl', '-qw', 'net.ipv4.ip_forward=1'],
        ['ip', 'netns', 'exec', r2, 'iptables-restore', '-w'],
      ], natRules(spec.kind));
      return { ...spec, ns: h, router: r, lanIp, wanIp, spareRouter: spare };
    }));
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const hosts = settled.map((r) => (r as PromiseFulfilledResult<HostInfo>).value);
    return { runId, publicNs: pub.name, pub, hosts, namespaces: made };
  } catch (err) {
    destroyTopology({ namespaces: made });
    throw err;
  }
}

/**
 * Router `r` and host `h`: the router's wan0 on the public bridge (its other end `wanPeer`), its
 * lan0 cabled to the host's eth0, the host's default route via the router. `nodad`: addresses
 * usable at once (IPv6 duplicate address detection would keep them tentative a second or two).
 */
function routerAndHost(pubNs: string, r: string, h: string, wanPeer: string, a: { wan: string; gateway: string; lan: string; nodad?: boolean }): string[][] {
  const flags = a.nodad ? ['nodad'] : [];
  return [
    ['ip', 'netns', 'add', r],
    ['ip', 'netns', 'add', h],
    ['ip', '-n', r, 'link', 'set', 'lo', 'up'],
    ['ip', '-n', h, 'link', 'set', 'lo', 'up'],
    // WAN: router <-> the public bridge
    ['ip', '-n', r, 'link', 'add', 'wan0', 'type', 'veth', 'peer', 'name', wanPeer, 'netns', pubNs],
    ['ip', '-n', pubNs, 'link', 'set', wanPeer, 'master', 'br0', 'up'],
    ['ip', '-n', r, 'addr', 'add', a.wan, 'dev', 'wan0', ...flags],
    ['ip', '-n', r, 'link', 'set', 'wan0', 'up'],
    // LAN: router <-> host
    ['ip', '-n', r, 'link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', h],
    ['ip', '-n', r, 'addr', 'add', `${a.gateway}/${a.lan.split('/')[1]}`, 'dev', 'lan0', ...flags],
    ['ip', '-n', r, 'link', 'set', 'lan0', 'up'],
    ['ip', '-n', h, 'addr', 'add', a.lan, 'dev', 'eth0', ...flags],
    ['ip', '-n', h, 'link', 'set', 'eth0', 'up'],
    ['ip', '-n', h, 'route', 'add', 'default', 'via', a.gateway, 'dev', 'eth0'],
  ];
}

/**
 * Firewall of an IPv6 router: no NAT (none is needed with IPv6), the stateful filter of a home
 * router: unsolicited inbound dropped, to the router and through it.
 */
const IPV6_FIREWALL = ['*filter', ...INBOUND_DROP, 'COMMIT', ''].join('\n');

/** Host `n` with IPv6 only: 2001:db8:<n>::2 behind its router, routed (not NATed) from the public network. */
async function ipv6Host(runId: string, pubNs: string, spec: HostSpec, n: number, made: string[]): Promise<HostInfo> {
  const wanIp = `${PUBLIC_NET6}:${20 + n}`;
  const lan = `2001:db8:${n}:`;
  const lanIp = `${lan}:2`;
  const r = nsName(runId, `r-${spec.id}`);
  const h = nsName(runId, `h-${spec.id}`);
  made.push(r, h);
  const wanPeer = `p-${spec.id}`;
  await runAll([
    ...routerAndHost(pubNs, r, h, wanPeer, { wan: `${wanIp}/64`, gateway: `${lan}:1`, lan: `${lanIp}/64`, nodad: true }),
    // The public network routes the host's prefix to its router (as an ISP routes a delegated prefix).
    ['ip', '-n', pubNs, '-6', 'route', 'add', `${lan}:/64`, 'via', wanIp, 'dev', 'br0'],
    ['ip', 'netns', 'exec', r, 'sysctl', '-qw', 'net.ipv6.conf.all.forwarding=1'],
    ['ip', 'netns', 'exec', r, 'ip6tables-restore', '-w'],
  ], IPV6_FIREWALL);
  return { ...spec, ns: h, router: r, lanIp, wanIp };
}

/**
 * Move a host with a spare router to the other network, as a laptop leaving one Wi-Fi for
 * another: the old interface goes down (its address and route with it), the other comes up with
 * its own address and default route. `to`: 'spare' or back to 'main'. Resolves when the new path
 * is configured (usable).
 */
export async function switchNetwork(h: HostInfo, to: 'spare' | 'main'): Promise<void> {
  const s = h.spareRouter;
  if (!s) throw new Error(`host ${h.id} has no spare router`);
  const [down, up, ip, gw] = to === 'spare' ? ['eth0', 'eth1', s.lanIp, s.gateway] : ['eth1', 'eth0', h.lanIp, h.lanIp.replace(/\.2$/, '.1')];
  await runAll([
    ['ip', '-n', h.ns, 'link', 'set', down, 'down'],
    ['ip', '-n', h.ns, 'addr', 'flush', 'dev', down],
    ['ip', '-n', h.ns, 'addr', 'replace', `${ip}/24`, 'dev', up],
    ['ip', '-n', h.ns, 'link', 'set', up, 'up'],
    ['ip', '-n', h.ns, 'route', 'replace', 'default', 'via', gw!, 'dev', up],
  ]);
}

/** The router a host goes through now (its main one, or the spare after `switchNetwork`). */
export function currentRouter(h: HostInfo): string {
  if (!h.spareRouter) return h.router;
  const out = execFileSyncText('ip', ['-n', h.ns, 'route', 'show', 'default']);
  return out.includes(h.spareRouter.gateway) ? h.spareRouter.router : h.router;
}

/**
 * NAT rebinding: the router forgets every mapping (`conntrack -F`, conntrack-tools): the next
 * packet of each flow gets a new one, on a symmetric NAT with a new public port.
 */
export async function flushConntrack(router: string): Promise<void> {
  await runAll([['ip', 'netns', 'exec', router, 'conntrack', '-F']]);
}

/** Delete the namespaces (killing what runs inside first). Synchronous: usable in exit handlers. */
export function destroyTopology(t: Pick<Topology, 'namespaces'>): void {
  for (const n of [...t.namespaces].reverse()) deleteNamespace(n);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove `sbnat-*` namespaces whose run is over (its pid is gone), or every one with `all`.
 * Another run going on at the same time keeps its network.
 */
export function cleanupLeftovers(all = false): string[] {
  const gone: string[] = [];
  for (const n of listNamespaces()) {
    if (!n.startsWith(NAT_PREFIX)) continue;
    const pid = Number(n.slice(NAT_PREFIX.length).split('-')[0]);
    if (all || !(pid > 0) || pid === process.pid || !alive(pid)) {
      deleteNamespace(n);
      gone.push(n);
    }
  }
  return gone;
}

/**
 * STUN Binding from one UDP socket inside `ns` to each target in turn: the public address the
 * NAT gave that socket for each destination (null: no answer within 1.5 s). Plain node, no imports,
 * so it runs in the namespace as `node -e`.
 */
const PROBE = `
const dgram = require('node:dgram'), crypto = require('node:crypto');
const targets = JSON.parse(process.argv[1]);
const s = dgram.createSocket('udp4');
const out = { local: 0, mapped: [] };
function next(i) {
  if (i === targets.length) { console.log(JSON.stringify(out)); s.close(); return; }
  const tx = crypto.randomBytes(12), m = Buffer.alloc(20);
  m.writeUInt16BE(1, 0); m.writeUInt32BE(0x2112a442, 4); tx.copy(m, 8);
  const done = (v) => { clearTimeout(timer); s.removeAllListeners('message'); out.mapped.push(v); next(i + 1); };
  const timer = setTimeout(() => done(null), 1500);
  s.on('message', (r) => {
    if (!r.subarray(8, 20).equals(tx)) return;
    for (let o = 20; o + 4 <= r.length; o += 4 + Math.ceil(r.readUInt16BE(o + 2) / 4) * 4) {
      if (r.readUInt16BE(o) !== 0x20) continue;
      const ip = [0, 1, 2, 3].map((k) => r[o + 8 + k] ^ [0x21, 0x12, 0xa4, 0x42][k]).join('.');
      return done(ip + ':' + (r.readUInt16BE(o + 6) ^ 0x2112));
    }
    done('no XOR-MAPPED-ADDRESS');
  });
  s.send(m, targets[i][1], targets[i][0]);
}
s.bind(0, () => { out.local = s.address().port; next(0); });
`;

export interface MappingProbe {
  local: number;
  mapped: Array<string | null>;
}

export function probeMapping(ns: string, targets: Array<[string, number]>): Promise<MappingProbe> {
  return new Promise((resolve, reject) => {
    execFile('ip', ['netns', 'exec', ns, process.execPath, '-e', PROBE, JSON.stringify(targets)], { timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`STUN probe in ${ns} failed: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout) as MappingProbe);
    });
  });
}

/** The global (not loopback, not link-local) addresses of namespace `ns`, by family. */
export function globalAddresses(ns: string): { v4: string[]; v6: string[] } {
  const links = JSON.parse(execFileSyncText('ip', ['-j', '-n', ns, 'addr', 'show'])) as Array<{ addr_info?: Array<{ family: string; local: string; scope: string }> }>;
  const all = links.flatMap((l) => l.addr_info ?? []).filter((a) => a.scope === 'global');
  return { v4: all.filter((a) => a.family === 'inet').map((a) => a.local), v6: all.filter((a) => a.family === 'inet6').map((a) => a.local) };
}

function execFileSyncText(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8' });
}
