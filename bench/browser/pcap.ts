/**
 * A packet capture of the relayed path for the call-setup benchmark's `--trace` (issue 16):
 * tcpdump inside the servers' namespace (every UDP datagram to and from the relays, on every
 * interface, so coturn's relay-to-relay hop over `lo` too), and a decoder that names what each
 * datagram is: STUN/TURN (Allocate, CreatePermission, ChannelBind, Refresh, Binding = an ICE
 * check, Send and Data indications with what they carry), ChannelData, DTLS records (handshake
 * type, or "application data" for SCTP inside DTLS).
 *
 * The pcap format (classic, microsecond or nanosecond timestamps) and the link types tcpdump uses
 * for `-i any` (Linux cooked v1 and v2) and for a veth (Ethernet) are read here: a few lines, and
 * no dependency.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Netns } from '../../test/support/netns.js';

export const TCPDUMP = '/usr/bin/tcpdump';

export interface Capture {
  file: string;
  stop(): Promise<void>;
}

/**
 * Starts tcpdump: UDP, and TCP to or from `tcpPorts` (the relays' TURN-over-TCP listeners; the
 * browsers also allocate over TCP), the first 600 bytes of each packet, written as it goes.
 */
export async function startCapture(ns: Netns | null, file: string, tcpPorts: number[] = []): Promise<Capture> {
  if (!existsSync(TCPDUMP)) throw new Error(`--trace needs tcpdump (${TCPDUMP} missing): apt-get install tcpdump`);
  const filter = ['udp', ...tcpPorts.map((p) => `(tcp port ${p})`)].join(' or ');
  const cmd = [TCPDUMP, '-i', 'any', '-U', '-n', '-s', '600', '-w', file, filter];
  const full = ns ? [...ns.prefix(), ...cmd] : cmd;
  const child: ChildProcess = spawn(full[0]!, full.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  // tcpdump says "listening on any" on stderr once it captures.
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`tcpdump did not start within 10 s: ${err}`)), 10_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (/listening on/.test(err)) {
        clearTimeout(t);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`tcpdump exited (${code}): ${err}`));
    });
  });
  return {
    file,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

export interface Datagram {
  /** Epoch ms. */
  t: number;
  src: string;
  dst: string;
  payload: Buffer;
  tcp: boolean;
}

/** UDP/IPv4 datagrams, and TCP/IPv4 segments with a payload, of a pcap file. */
export function readPcap(file: string): Datagram[] {
  const b = readFileSync(file);
  if (b.length < 24) return [];
  const magic = b.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const link = u32(20);
  const out: Datagram[] = [];
  for (let o = 24; o + 16 <= b.length; ) {
    const sec = u32(o);
    const frac = u32(o + 4);
    const incl = u32(o + 8);
    const p = b.subarray(o + 16, o + 16 + incl);
    o += 16 + incl;
    // Offset of the IP header and the protocol: Ethernet (1), Linux cooked v1 (113), v2 (276).
    let ip: number;
    let proto: number;
    if (link === 1) [ip, proto] = [14, p.readUInt16BE(12)];
    else if (link === 113) [ip, proto] = [16, p.readUInt16BE(14)];
    else if (link === 276) [ip, proto] = [20, p.readUInt16BE(0)];
    else throw new Error(`pcap link type ${link} not supported`);
    if (proto !== 0x0800 || p.length < ip + 28) continue;
    const tcp = p[ip + 9] === 6;
    if (p[ip + 9] !== 17 && !tcp) continue;
    const ihl = (p[ip]! & 0x0f) * 4;
    const l4 = ip + ihl;
    const payload = p.subarray(tcp ? l4 + (p[l4 + 12]! >> 4) * 4 : l4 + 8, ip + p.readUInt16BE(ip + 2));
    if (tcp && payload.length === 0) continue;
    const addr = (x: number) => `${p[x]}.${p[x + 1]}.${p[x + 2]}.${p[x + 3]}`;
    out.push({
      t: sec * 1000 + (nano ? frac / 1e6 : frac / 1e3),
      src: `${addr(ip + 12)}:${p.readUInt16BE(l4)}`,
      dst: `${addr(ip + 16)}:${p.readUInt16BE(l4 + 2)}`,
      payload,
      tcp,
    });
  }
  return out;
}

const METHODS: Record<number, string> = { 0x001: 'Binding', 0x003: 'Allocate', 0x004: 'Refresh', 0x006: 'Send', 0x007: 'Data', 0x008: 'CreatePermission', 0x009: 'ChannelBind' };
const CLASSES = ['request', 'indication', 'success', 'error'];
const DTLS_HS: Record<number, string> = { 1: 'ClientHello', 2: 'ServerHello', 3: 'HelloVerifyRequest', 4: 'NewSessionTicket', 8: 'EncryptedExtensions', 11: 'Certificate', 12: 'ServerKeyExchange', 13: 'CertificateRequest', 14: 'ServerHelloDone', 15: 'CertificateVerify', 16: 'ClientKeyExchange', 20: 'Finished' };

/**
 * TURN over TCP (RFC 8656 section 12.5): STUN messages and ChannelData (padded to 4 bytes) back to
 * back in the stream; a segment is read as whole frames (true of these small control messages).
 */
export function describeStream(p: Buffer): string {
  const parts: string[] = [];
  for (let o = 0; o + 4 <= p.length && parts.length < 8; ) {
    const isStun = p[o]! < 0x40;
    const len = isStun ? 20 + p.readUInt16BE(o + 2) : 4 + p.readUInt16BE(o + 2);
    parts.push(describe(p.subarray(o, o + len)));
    o += isStun ? len : len + ((4 - (len % 4)) % 4);
  }
  return `(tcp) ${parts.join('; ')}`;
}

/** What a UDP payload is, in a few words; nested for Send/Data indications and ChannelData. */
export function describe(p: Buffer): string {
  // DTLS 1.3's unified header (0b001xxxxx, RFC 9147 section 4): encrypted records. Classic
  // content types (20-25) are below 0x20.
  if (p.length >= 2 && (p[0]! & 0xe0) === 0x20) return 'DTLS 1.3 encrypted';
  if (p.length >= 20 && p[0]! < 2 && p.readUInt32BE(4) === 0x2112a442) {
    const type = p.readUInt16BE(0);
    const method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
    const cls = ((type >> 4) & 1) | ((type >> 7) & 2);
    let s = `${METHODS[method] ?? `method 0x${method.toString(16)}`} ${CLASSES[cls]}`;
    const attrs = stunAttrs(p);
    const err = attrs.get(0x0009);
    if (err && err.length >= 4) s += ` ${err[2]! * 100 + err[3]!}`;
    if (method === 0x001 && attrs.has(0x0025)) s += ' USE-CANDIDATE';
    const data = attrs.get(0x0013);
    const peer = attrs.get(0x0012);
    if (peer) s += ` peer ${xorPeer(peer)}`;
    if (data) s += ` [${describe(data)}]`;
    return s;
  }
  if (p.length >= 4 && p[0]! >= 0x40 && p[0]! <= 0x7f) {
    return `ChannelData 0x${p.readUInt16BE(0).toString(16)} [${describe(p.subarray(4, 4 + p.readUInt16BE(2)))}]`;
  }
  if (p.length >= 13 && p[0]! >= 20 && p[0]! <= 25) {
    const records: string[] = [];
    for (let o = 0; o + 13 <= p.length; ) {
      const ct = p[o]!;
      const len = p.readUInt16BE(o + 11);
      const epoch = p.readUInt16BE(o + 3);
      if (ct === 22 && epoch === 0) records.push(DTLS_HS[p[o + 13]!] ?? `handshake ${p[o + 13]}`);
      else if (ct === 22) records.push('handshake (encrypted)');
      else if (ct === 20) records.push('ChangeCipherSpec');
      else if (ct === 23) records.push('app data (SCTP)');
      else if (ct === 21) records.push('alert');
      else if ((ct & 0xe0) === 0x20) {
        records.push('1.3 encrypted');
        break;
      } else records.push(`type ${ct}`);
      o += 13 + len;
    }
    return `DTLS ${records.join(', ')}`;
  }
  return `${p.length} bytes`;
}

function stunAttrs(p: Buffer): Map<number, Buffer> {
  const m = new Map<number, Buffer>();
  const end = Math.min(p.length, 20 + p.readUInt16BE(2));
  for (let o = 20; o + 4 <= end; ) {
    const type = p.readUInt16BE(o);
    const len = p.readUInt16BE(o + 2);
    if (!m.has(type)) m.set(type, p.subarray(o + 4, o + 4 + len));
    o += 4 + len + ((4 - (len % 4)) % 4);
  }
  return m;
}

function xorPeer(a: Buffer): string {
  if (a.length < 8 || a[1] !== 1) return '?';
  const port = a.readUInt16BE(2) ^ 0x2112;
  const ip = [0, 1, 2, 3].map((i) => a[4 + i]! ^ [0x21, 0x12, 0xa4, 0x42][i]!).join('.');
  return `${ip}:${port}`;
}
