/**
 * What every handler sees: configuration, shared state, and the request being answered.
 */
import type { RelayConfig } from '../config.js';
import type { AllocationManager } from '../allocation/manager.js';
import type { PortAllocator } from '../allocation/port-allocator.js';
import type { RateLimiter } from '../auth/rate-limiter.js';
import type { Authenticator } from '../auth/long-term.js';
import type { NonceFactory } from '../auth/nonce.js';
import type { RelayMetrics } from '../metrics.js';
import type { ResolvedOptions } from '../options.js';
import type { PeerFilter } from '../security/peer-filter.js';
import type { StunMessage } from '../stun/message.js';
import type { ClientConn } from '../transport/conn.js';
import type { RelayStats } from '../types.js';
import type dgram from 'node:dgram';

export interface ServerContext {
  readonly config: RelayConfig;
  readonly opts: ResolvedOptions;
  readonly stats: RelayStats;
  /** Allocate latency and error answers (Prometheus; turn/metrics.ts). */
  readonly metrics: RelayMetrics;
  readonly filter: PeerFilter;
  readonly nonces: NonceFactory;
  readonly authenticate: Authenticator;
  /** Limits 401 answers per source IP. */
  readonly unauthorizedLimiter: RateLimiter;
  readonly allocations: AllocationManager;
  /** The relayed address families this relay offers (TURN_RELAY_IP, TURN_RELAY_IP6). */
  readonly relays: ReadonlyMap<4 | 6, RelayFamily>;
  /**
   * The family allocated when a request names none: IPv4 when the relay has it (RFC 8656 section
   * 7.2), else its only family (an IPv6-only relay stays usable by clients that do not ask).
   */
  readonly defaultFamily: 4 | 6;
  /** False once stop() began: pending Allocates give their socket back. */
  running: boolean;
}

/** One relayed address family: its advertised address and how its ports are bound. */
export interface RelayFamily {
  readonly family: 4 | 6;
  /** Advertised relayed address (concrete, never a wildcard). */
  readonly ip: string;
  readonly allocatePort: PortAllocator;
  /** Bind one given relay port (the odd port of an EVEN-PORT reservation). */
  readonly bindPort: (port: number) => Promise<dgram.Socket | null>;
}

export interface Request {
  readonly msg: StunMessage;
  readonly conn: ClientConn;
  /** Set by the dispatcher after authentication. */
  username: string;
  key: Buffer | undefined;
}
