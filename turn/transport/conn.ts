/**
 * The client side of a 5-tuple: where responses, Data indications and ChannelData go back to.
 * One object per UDP source address with an allocation (or per request otherwise), one per
 * TCP/TLS connection.
 */
import type dgram from 'node:dgram';
import type net from 'node:net';
import { boundedSend, type SendBound } from './send-queue.js';

export type ClientTransport = 'udp' | 'tcp' | 'tls';

export interface ClientConn {
  readonly transport: ClientTransport;
  readonly ip: string;
  readonly port: number;
  /** The 5-tuple key: "transport:ip:port" (the server side is fixed per listener). */
  readonly key: string;
  /** Stream transports pad ChannelData to 4 bytes (RFC 8656 section 12.5). */
  readonly stream: boolean;
  /** The connection is gone (a closed TCP/TLS socket; never for UDP, which has none). */
  readonly closed: boolean;
  send(buf: Buffer): void;
}

export function connKey(transport: ClientTransport, ip: string, port: number): string {
  return `${transport}:${ip}:${port}`;
}

export class UdpConn implements ClientConn {
  readonly transport = 'udp' as const;
  readonly stream = false;
  readonly closed = false;
  readonly key: string;
  constructor(
    private readonly socket: dgram.Socket,
    readonly ip: string,
    readonly port: number,
    private readonly bound: SendBound,
  ) {
    this.key = connKey('udp', ip, port);
  }
  send(buf: Buffer): void {
    boundedSend(this.socket, this.bound, buf, 0, buf.length, this.port, this.ip);
  }
}

export class StreamConn implements ClientConn {
  readonly stream = true;
  readonly key: string;
  /** Packets dropped because the connection's send queue was over the high-water mark. */
  dropped = 0;
  /** Monotonic time since which this connection holds no allocation (see sweepStreams). */
  unallocatedSince: number;
  constructor(
    readonly transport: 'tcp' | 'tls',
    private readonly socket: net.Socket,
    readonly ip: string,
    readonly port: number,
    private readonly bound: SendBound,
    openedAt: number,
  ) {
    this.key = connKey(transport, ip, port);
    this.unallocatedSince = openedAt;
  }
  get closed(): boolean {
    return this.socket.destroyed;
  }
  send(buf: Buffer): void {
    if (this.socket.destroyed) return;
    if (this.socket.writableLength > this.bound.limit) {
      this.dropped++;
      this.bound.stats.sendQueueDrops++;
      return;
    }
    this.socket.write(buf);
  }
  /** Close the connection now (its allocation, if any, goes with it). */
  destroy(): void {
    this.socket.destroy();
  }
}
