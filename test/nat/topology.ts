/**
 * The NAT test network, built from network namespaces, veth pairs, a bridge and iptables (root
 * only). See test/nat/README.md for the diagram. Everything lives in namespaces named
 * `sbnat-<pid>-*` (pid: the vitest process that made them), so leftovers of a killed run are found
 * by prefix and told apart from a run that is still going.
 *
 *   public namespace  : bridge br0 198.51.100.10/24 (the servers), one veth per router
 *   router namespaces : wan0 198.51.100.<20+i>/24, lan0 10.0.<i>.1/24, forwarding + NAT rules
 *   host namespaces   : eth0 10.0.<i>.2/24, default via 10.0.<i>.1 (Chromium runs here)
 *
 * Only documentation (198.51.100.0/24) and private (10.0.0.0/16) addresses, all inside the
 * namespaces; there is no route to anything else.
 */
import { execFile } from 'node:child_process';
import { Netns, deleteNamespace, listNamespaces } from '../support/netns.js';

export const NAT_PREFIX = 'sbnat-';
export const PUBLIC_NET = '198.51.100';
export const SERVER_IP = `${PUBLIC_NET}.10`;

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
} as const;

export type NatKind = 'symmetric' | 'cone' | 'udp-blocked' | 'tls-only';

export interface HostSpec {
  /** Short id, also in namespace names (sym1, cone2, ...). */
  id: string;
  kind: NatKind;
}

/** One LAN per host, each behind its own router (two peers never share a NAT). */
export const HOSTS: readonly HostSpec[] = [
  { id: 'sym1', kind: 'symmetric' },
  { id: 'sym2', kind: 'symmetric' },
  { id: 'cone1', kind: 'cone' },
  { id: 'cone2', kind: 'cone' },
  { id: 'udpb', kind: 'udp-blocked' },
  { id: 'tlsb', kind: 'tls-only' },
];

export interface HostInfo extends HostSpec {
  /** Namespace Chromium runs in. */
  ns: string;
  router: string;
  lanIp: string;
  wanIp: string;
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

/** iptables inside a namespace, one rule per call (errors carry iptables' stderr). */
function iptables(ns: Netns, ...rule: string[]): void {
  ns.exec('iptables', ['-w', ...rule]);
}

/**
 * The router's rules. Common to every kind: unsolicited inbound is dropped, both to the router
 * itself (INPUT: without it the kernel answers with ICMP and confirms a conntrack entry that breaks
 * later mappings on that port) and through it (FORWARD).
 */
function natRules(r: Netns, kind: NatKind): void {
  iptables(r, '-A', 'INPUT', '-i', 'wan0', '-m', 'conntrack', '--ctstate', 'NEW,INVALID', '-j', 'DROP');
  iptables(r, '-A', 'FORWARD', '-i', 'wan0', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT');
  iptables(r, '-A', 'FORWARD', '-i', 'wan0', '-j', 'DROP');
  switch (kind) {
    case 'symmetric':
      // A fresh random public port for every new 5-tuple: endpoint-dependent mapping.
      iptables(r, '-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE', '--random-fully');
      break;
    case 'cone':
      // Source port kept when free: endpoint-independent mapping; conntrack + the drops above give
      // address-and-port-dependent filtering, i.e. a port-restricted cone.
      iptables(r, '-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE');
      break;
    case 'udp-blocked':
    case 'tls-only': {
      // Only TCP to the signaling server and the relay's TCP and TLS ports (tls-only: its TLS
      // port alone, like a firewall that lets nothing but HTTPS-style traffic out) leaves the LAN.
      const ports = kind === 'udp-blocked' ? [PORTS.relayHttp, PORTS.relayTurn, PORTS.relayTurnTls] : [PORTS.relayHttp, PORTS.relayTurnTls];
      iptables(r, '-A', 'FORWARD', '-i', 'lan0', '-p', 'tcp', '-d', SERVER_IP, '-m', 'multiport', '--dports', ports.join(','), '-j', 'ACCEPT');
      iptables(r, '-A', 'FORWARD', '-i', 'lan0', '-j', 'DROP');
      iptables(r, '-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE');
      break;
    }
  }
}

/** Build the whole network. On error, whatever was made is deleted before rethrowing. */
export function buildTopology(runId = String(process.pid)): Topology {
  const made: Netns[] = [];
  const create = (role: string) => {
    const ns = Netns.create(nsName(runId, role));
    made.push(ns);
    return ns;
  };
  try {
    const pub = create('pub');
    pub.ip('link', 'add', 'br0', 'type', 'bridge');
    pub.ip('link', 'set', 'br0', 'up');
    pub.addAddress('br0', `${SERVER_IP}/24`);

    const hosts = HOSTS.map((spec, i): HostInfo => {
      const n = i + 1;
      const wanIp = `${PUBLIC_NET}.${20 + n}`;
      const lanIp = `10.0.${n}.2`;
      const router = create(`r-${spec.id}`);
      const host = create(`h-${spec.id}`);
      router.addVeth('wan0', `p-${spec.id}`, pub);
      pub.ip('link', 'set', `p-${spec.id}`, 'master', 'br0');
      router.addAddress('wan0', `${wanIp}/24`);
      router.addVeth('lan0', 'eth0', host);
      router.addAddress('lan0', `10.0.${n}.1/24`);
      router.enableForwarding();
      natRules(router, spec.kind);
      host.addAddress('eth0', `${lanIp}/24`);
      host.addRoute('default', `10.0.${n}.1`, 'eth0');
      return { ...spec, ns: host.name, router: router.name, lanIp, wanIp };
    });
    return { runId, publicNs: pub.name, pub, hosts, namespaces: made.map((m) => m.name) };
  } catch (err) {
    for (const m of made.reverse()) m.delete();
    throw err;
  }
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
