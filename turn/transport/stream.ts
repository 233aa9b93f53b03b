/**
 * TCP and TLS client connections (RFC 8656 section 3.1; framing per section 12.5). One
 * StreamFramer per connection; garbage closes the connection; closing the connection deletes its
 * allocation (the 5-tuple is gone).
 *
 * Bounds: the listeners cap connections in total (`maxStreamConnections`) and per client IP
 * (`maxConnectionsPerIp`, both listeners together, counted from accept so TLS handshakes count);
 * a connection idle with no allocation is closed after `streamIdleMs`, and one that has held no
 * allocation for `streamUnallocatedMs` is closed whatever it sends (sweepStreams); relayed data
 * beyond `streamHighWaterMark` queued bytes is dropped (StreamConn).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { AllocationManager } from '../allocation/manager.js';
import type { ResolvedOptions } from '../options.js';
import type { Dispatcher } from '../server/dispatcher.js';
import type { RelayStats } from '../types.js';
import { StreamConn } from './conn.js';
import { StreamFramer } from './framer.js';

/** Connection state shared by the TCP and TLS listeners of one relay. */
export class StreamRegistry {
  /** Raw sockets, TLS ones from before their handshake: stop() destroys them all. */
  readonly sockets = new Set<net.Socket>();
  /** Served connections (after the TLS handshake), for the no-allocation bound. */
  readonly conns = new Set<StreamConn>();
  private readonly perIp = new Map<string, number>();

  constructor(
    private readonly maxPerIp: number,
    private readonly stats: RelayStats,
  ) {}

  /** Count a new raw connection; false (and the socket destroyed) over the per-IP cap. */
  admit(s: net.Socket): boolean {
    const ip = s.remoteAddress ?? '';
    const n = this.perIp.get(ip) ?? 0;
    if (n >= this.maxPerIp) {
      this.stats.streamsClosed++;
      s.destroy();
      return false;
    }
    this.perIp.set(ip, n + 1);
    this.sockets.add(s);
    s.once('close', () => {
      this.sockets.delete(s);
      const left = (this.perIp.get(ip) ?? 1) - 1;
      if (left > 0) this.perIp.set(ip, left);
      else this.perIp.delete(ip);
    });
    return true;
  }

  /** Connections from `ip` right now (tests, stats). */
  countFor(ip: string): number {
    return this.perIp.get(ip) ?? 0;
  }

  /**
   * Close every connection that has held no allocation for `boundMs` (the relay's sweep calls it):
   * a client may not keep a connection (and a slot of the caps) with Bindings or failing requests.
   */
  sweep(now: number, allocations: AllocationManager, boundMs: number): void {
    for (const c of this.conns) {
      if (allocations.get(c.key)) c.unallocatedSince = Number.POSITIVE_INFINITY;
      else if (c.unallocatedSince === Number.POSITIVE_INFINITY) c.unallocatedSince = now;
      else if (now - c.unallocatedSince >= boundMs) {
        this.stats.streamsClosed++;
        c.destroy();
      }
    }
  }
}

export interface StreamDeps {
  dispatcher: Dispatcher;
  allocations: AllocationManager;
  opts: ResolvedOptions;
  registry: StreamRegistry;
  stats: RelayStats;
}

function serveConnection(sock: net.Socket, transport: 'tcp' | 'tls', d: StreamDeps): void {
  const bound = { limit: d.opts.streamHighWaterMark, stats: d.stats };
  const conn = new StreamConn(transport, sock, sock.remoteAddress ?? '', sock.remotePort ?? 0, bound, d.opts.now());
  const framer = new StreamFramer((frame, channel) => d.dispatcher.onStream(frame, channel, conn));
  d.registry.conns.add(conn);
  sock.setNoDelay(true);
  if (transport === 'tls') {
    // One message per TLS record: Node batches queued writes into one record (writev), and some
    // clients (coturn's turnutils_uclient) read one message per record and lose the rest.
    (sock as unknown as { _writev: unknown })._writev = null;
  }
  sock.setTimeout(d.opts.streamIdleMs);
  sock.on('timeout', () => {
    if (!d.allocations.get(conn.key)) sock.destroy();
  });
  sock.on('data', (chunk: Buffer) => {
    if (!framer.push(chunk)) sock.destroy();
  });
  sock.on('error', () => {});
  sock.on('close', () => {
    d.registry.conns.delete(conn);
    d.allocations.deleteByConn(conn.key, 'disconnect');
  });
}

function listen(server: net.Server, ip: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: ip, exclusive: true }, () => {
      server.off('error', reject);
      server.on('error', () => {});
      resolve();
    });
  });
}

export async function listenTcp(ip: string, port: number, d: StreamDeps): Promise<net.Server> {
  const server = net.createServer();
  server.maxConnections = d.opts.maxStreamConnections;
  server.on('connection', (s: net.Socket) => {
    if (d.registry.admit(s)) serveConnection(s, 'tcp', d);
  });
  await listen(server, ip, port);
  return server;
}

export async function listenTls(ip: string, port: number, context: tls.SecureContextOptions, d: StreamDeps): Promise<tls.Server> {
  const server = tls.createServer({ ...context, handshakeTimeout: 10_000 }, (s) => serveConnection(s, 'tls', d));
  server.maxConnections = d.opts.maxStreamConnections;
  // The raw TCP socket, before the handshake: counted (and refused over the cap) at once, so a
  // client cannot hold slots with handshakes it never finishes.
  server.on('connection', (s: net.Socket) => void d.registry.admit(s));
  server.on('tlsClientError', () => {});
  await listen(server, ip, port);
  return server;
}
