/** The client-facing UDP listener (RFC 8656 section 3.1: UDP on the TURN port). */
import type dgram from 'node:dgram';
import { createUdpSocket } from './udp-socket.js';
import type { Dispatcher } from '../server/dispatcher.js';

export function listenUdp(ip: string, port: number, bufferSize: number, dispatcher: Dispatcher): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const s = createUdpSocket(ip, bufferSize);
    s.once('error', reject);
    s.bind({ port, address: ip, exclusive: true }, () => {
      s.off('error', reject);
      s.on('error', () => {});
      s.on('message', (msg, rinfo) => dispatcher.onUdp(s, msg, rinfo.address, rinfo.port));
      resolve(s);
    });
  });
}
