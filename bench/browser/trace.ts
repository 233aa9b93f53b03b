/**
 * The relayed path of one call, from the capture (pcap.ts), on the newcomer's clock (ms from its
 * navigation start): every datagram between the browsers' TURN clients and the relay, and
 * between relayed addresses, named by who sends it to whom (newcomer, other side, relay,
 * relayed addresses) and what it is. Used by `call-setup.ts --trace` (issue 16).
 *
 * Which TURN client is the newcomer: the one whose Allocate carries the newcomer page's TURN
 * username (Switchboard pages: their boot data; the bench passes it in); every other TURN client
 * in the call's window is the other side (calls run one at a time; the other side's page may
 * have fetched newer credentials than its boot data).
 */
import { type Datagram, describe, describeStream } from './pcap.js';

export interface TracedCall {
  label: string;
  /** performance.timeOrigin of the newcomer's page (epoch ms). */
  origin: number;
  /** Epoch ms: the call's window in the capture. */
  from: number;
  to: number;
  /** TURN usernames of the newcomer's and the other side's pages. */
  newcomerUser: string;
  otherUser: string | null;
  /** The relay's listening addresses ("ip:port"; UDP, and TCP when it differs). */
  relay: string;
  relayTcp?: string;
}

function stunUsername(p: Buffer): string | undefined {
  if (p.length < 20 || p[0]! >= 2 || p.readUInt32BE(4) !== 0x2112a442) return undefined;
  const end = Math.min(p.length, 20 + p.readUInt16BE(2));
  for (let o = 20; o + 4 <= end; ) {
    const type = p.readUInt16BE(o);
    const len = p.readUInt16BE(o + 2);
    if (type === 0x0006) return p.subarray(o + 4, o + 4 + len).toString('utf8');
    o += 4 + len + ((4 - (len % 4)) % 4);
  }
  return undefined;
}

/** XOR-RELAYED-ADDRESS of an Allocate success (IPv4). */
function relayedAddress(p: Buffer): string | undefined {
  if (p.length < 20 || p.readUInt16BE(0) !== 0x0103) return undefined;
  const end = Math.min(p.length, 20 + p.readUInt16BE(2));
  for (let o = 20; o + 4 <= end; ) {
    const type = p.readUInt16BE(o);
    const len = p.readUInt16BE(o + 2);
    if (type === 0x0016 && p[o + 5] === 1) {
      const port = p.readUInt16BE(o + 6) ^ 0x2112;
      const ip = [0, 1, 2, 3].map((i) => p[o + 8 + i]! ^ [0x21, 0x12, 0xa4, 0x42][i]!).join('.');
      return `${ip}:${port}`;
    }
    o += 4 + len + ((4 - (len % 4)) % 4);
  }
  return undefined;
}

export interface TraceLine {
  ms: number;
  from: string;
  to: string;
  what: string;
}

/** The call's datagrams, named; STUN Binding between a client and the relay (its own STUN) left out. */
export function traceCall(all: Datagram[], c: TracedCall): TraceLine[] {
  const ds = all.filter((d) => d.t >= c.from && d.t <= c.to);
  const names = new Map<string, string>([[c.relay, 'relay'], [c.relayTcp ?? c.relay, 'relay']]);
  const clientOf = new Map<string, string>();
  for (const d of ds) {
    const u = names.get(d.dst) === 'relay' ? stunUsername(d.payload) : undefined;
    if (u === undefined || clientOf.has(d.src)) continue;
    clientOf.set(d.src, `${u === c.newcomerUser ? 'newcomer' : 'other side'}${d.tcp ? ' (tcp)' : ''}`);
  }
  for (const [addr, who] of clientOf) names.set(addr, who);
  for (const d of ds) {
    const r = names.get(d.src) === 'relay' ? relayedAddress(d.payload) : undefined;
    const who = clientOf.get(d.dst);
    if (r && who) names.set(r, `${who}'s relayed ${r.split(':')[1]}`);
  }
  const lines: TraceLine[] = [];
  for (const d of ds) {
    const from = names.get(d.src);
    const to = names.get(d.dst);
    if (!from || !to) continue;
    let what = d.tcp ? describeStream(d.payload) : describe(d.payload);
    for (const [addr, n] of names) what = what.replaceAll(addr, n);
    lines.push({ ms: d.t - c.origin, from, to, what });
  }
  return lines;
}

/** Markdown table of a traced call. */
export function traceTable(c: TracedCall, lines: TraceLine[]): string {
  const rows = lines.map((l) => `| ${l.ms.toFixed(1)} | ${l.from} -> ${l.to} | ${l.what} |`);
  return [`#### ${c.label}`, '', '| ms | from -> to | what |', '|---|---|---|', ...rows].join('\n');
}
