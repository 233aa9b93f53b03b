/**
 * The client side of a 5-tuple: where responses, Data indications and ChannelData go back to.
 * One object per UDP source address with an allocation (or per request otherwise), one per
 * TCP/TLS connection.
 */
import type dgram from 'node:dgram';
import type net from 'node:net';

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
  ) {
    this.key = connKey('udp', ip, port);
  }
  send(buf: Buffer): void {
    this.socket.send(buf, this.port, this.ip);
  }
}

export class StreamConn implements ClientConn {
  readonly stream = true;
  readonly key: string;
  /** Packets dropped because the connection's send queue was over the high-water mark. */
  dropped = 0;
  constructor(
    readonly transport: 'tcp' | 'tls',
    private readonly socket: net.Socket,
    readonly ip: string,
    readonly port: number,
    private readonly highWaterMark: number,
  ) {
    this.key = connKey(transport, ip, port);
  }
  get closed(): boolean {
    return this.socket.destroyed;
  }
  send(buf: Buffer): void {
    if (this.socket.destroyed || this.socket.writableLength > this.highWaterMark) {
      this.dropped++;
      return;
    }
    this.socket.write(buf);
  }
}
