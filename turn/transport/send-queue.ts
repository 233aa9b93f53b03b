/**
 * Bounded sends. When the kernel refuses a UDP send (socket buffer full: EAGAIN), libuv keeps the
 * datagram in the socket's own queue, without limit, until the socket is writable again; a peer
 * flooding faster than the client side drains would grow it for ever. Past `limit` bytes queued,
 * a datagram is dropped and counted (`stats.sendQueueDrops`), as a router drops at a full queue.
 * The TCP/TLS side has the same bound on the connection's write queue (StreamConn).
 */
import type dgram from 'node:dgram';
import type { RelayStats } from '../types.js';

/** The limit, and where drops are counted. */
export interface SendBound {
  /** Bytes queued in user space (refused by the kernel so far) beyond which sends are dropped. */
  readonly limit: number;
  readonly stats: RelayStats;
}

/** `socket.send` unless its queue already holds more than `bound.limit` bytes. */
export function boundedSend(socket: dgram.Socket, bound: SendBound, buf: Buffer, off: number, len: number, port: number, ip: string): void {
  if (socket.getSendQueueSize() > bound.limit) {
    bound.stats.sendQueueDrops++;
    return;
  }
  socket.send(buf, off, len, port, ip);
}
