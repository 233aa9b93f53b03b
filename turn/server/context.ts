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
  readonly allocatePort: PortAllocator;
  /** Bind one given relay port (the odd port of an EVEN-PORT reservation). */
  readonly bindRelayPort: (port: number) => Promise<dgram.Socket | null>;
  /** Advertised relayed address (concrete, never 0.0.0.0). */
  readonly relayIp: string;
  readonly relayFamily: 4 | 6;
  /** False once stop() began: pending Allocates give their socket back. */
  running: boolean;
}

export interface Request {
  readonly msg: StunMessage;
  readonly conn: ClientConn;
  /** Set by the dispatcher after authentication. */
  username: string;
  key: Buffer | undefined;
}
