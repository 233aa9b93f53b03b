import type { AppDeps } from '../app.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { ClusterNode } from './node.js';
import { RedisRegistry } from './redis-registry.js';
export type ClusterConfig = Pick<Config, 'nodeId' | 'nodeTtlMs' | 'resumeGraceMs' | 'roomCapacity' | 'metricsToken'> & {
    redisUrl: string;
};
export interface Cluster {
    deps: Pick<AppDeps, 'registry' | 'readinessChecks' | 'configureIo' | 'extraRoutes'>;
    registry: RedisRegistry;
    /** Timings, for logs and docs. */
    heartbeatMs: number;
    reapAfterMs: number;
    /** Set once configureIo ran. */
    node(): ClusterNode | undefined;
}
export interface ClusterOptions {
    /** Key prefix in Redis (tests isolate themselves with their own). */
    prefix?: string;
}
export declare function createCluster(config: ClusterConfig, log: Logger, opts?: ClusterOptions): Cluster;
