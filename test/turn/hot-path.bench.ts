/**
 * JS-only cost of the ChannelData hot path (socket sends stubbed): client -> external peer, and
 * client -> allocation B in-process (relay-to-relay). Not a vitest file; run with
 *   node --import tsx test/turn/hot-path.bench.ts
 * The real per-packet cost adds one recvmsg and one sendmsg (Node dgram), which dominate.
 */
import type dgram from 'node:dgram';
import { Allocation } from '../../turn/allocation/allocation.js';
import { AllocationManager } from '../../turn/allocation/manager.js';
import { handleChannelData } from '../../turn/server/channel-data.js';
import { addressKey, encodeChannelData } from '../../turn/stun/index.js';
import type { ClientConn } from '../../turn/transport/conn.js';
import type { RelayStats } from '../../turn/types.js';

const stats: RelayStats = { allocations: 0, permissions: 0, channels: 0, packetsToPeers: 0, bytesToPeers: 0, packetsToClients: 0, bytesToClients: 0, authFailures: 0, forbidden: 0, allocationsTotal: 0, relaySockets: 0, sendQueueDrops: 0, streamsClosed: 0 };
const m = new AllocationManager(stats);
let sent = 0;
const fakeSocket = (): dgram.Socket => ({ on() {}, send() { sent++; }, getSendQueueSize: () => 0, close() {}, removeAllListeners() {} }) as unknown as dgram.Socket;
const conn = (port: number): ClientConn => ({ transport: 'udp', ip: '127.0.0.1', port, key: `udp:127.0.0.1:${port}`, stream: false, closed: false, send() { sent++; } });
const a = new Allocation(m, conn(1000), 'u', Buffer.alloc(16), [{ family: 4, ip: '127.0.0.1', port: 50000, socket: fakeSocket() }], Date.now() + 1e9, null);
const b = new Allocation(m, conn(1001), 'u', Buffer.alloc(16), [{ family: 4, ip: '127.0.0.1', port: 50001, socket: fakeSocket() }], Date.now() + 1e9, null);
m.add(a);
m.add(b);
for (const [x, peerPort] of [[a, 50001], [b, 50000]] as const) {
  const ch = { number: 0x4000, peerIp: '127.0.0.1', peerPort, peerKey: addressKey('127.0.0.1', peerPort), expiresAt: 1e15, local: true, family: 4 as const };
  x.channels.set(ch.number, ch);
  x.channelByPeer.set(ch.peerKey, ch);
  x.permissions.set('127.0.0.1', 1e15);
}
const pkt = encodeChannelData(0x4000, Buffer.alloc(120, 1), false);
for (const [name, local] of [['relay-to-relay (in-process)', true], ['to an external peer', false], ['relay-to-relay (in-process)', true]] as const) {
  for (const x of [a, b]) x.channels.get(0x4000)!.local = local;
  const N = 2_000_000;
  for (let i = 0; i < 100_000; i++) handleChannelData(m.getUdp('127.0.0.1', 1000), pkt);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) handleChannelData(m.getUdp(`127.0.0.${1 + (i & 0)}`, 1000), pkt);
  const ns = Number(process.hrtime.bigint() - t0) / N;
  console.log(`${name}: ${ns.toFixed(0)} ns per 120 B ChannelData packet (JS only)`);
}
console.log(`(${sent} stubbed sends)`);
