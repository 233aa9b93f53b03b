/**
 * The peer: a UDP echo in its own process (forked with IPC). Every datagram goes back to where it
 * came from (the relayed address), so it travels through the relay a second time.
 *
 * IPC: sends `{ port }` when bound; answers `{ type: 'count', step }` with
 * `{ step, received }` (datagrams of that step seen so far).
 */
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { PAYLOAD_HEADER, PAYLOAD_MAGIC, SINK_HOST } from './common.js';

/** The address to listen on: the first argument, default SINK_HOST. */
const host = process.argv[2] ?? SINK_HOST;
const counts = new Map<number, number>();
const sock = dgram.createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
sock.on('message', (m, r) => {
  if (m.length >= PAYLOAD_HEADER && m.readUInt32BE(0) === PAYLOAD_MAGIC) {
    const step = m.readUInt16BE(4);
    counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  sock.send(m, r.port, r.address);
});
sock.bind(0, host, () => process.send?.({ port: sock.address().port }));

process.on('message', (msg: { type: string; step: number }) => {
  if (msg.type === 'count') process.send?.({ step: msg.step, received: counts.get(msg.step) ?? 0 });
});
process.on('disconnect', () => process.exit(0));
