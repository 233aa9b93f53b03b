/** The client-facing UDP listener (RFC 8656 section 3.1: UDP on the TURN port). */
import dgram from 'node:dgram';
import type { Dispatcher } from '../server/dispatcher.js';

export function listenUdp(ip: string, port: number, bufferSize: number, dispatcher: Dispatcher): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket({ type: ip.includes(':') ? 'udp6' : 'udp4', recvBufferSize: bufferSize, sendBufferSize: bufferSize });
    s.once('error', reject);
    s.bind({ port, address: ip, exclusive: true }, () => {
      s.off('error', reject);
      s.on('error', () => {});
      s.on('message', (msg, rinfo) => dispatcher.onUdp(s, msg, rinfo.address, rinfo.port));
      resolve(s);
    });
  });
}
