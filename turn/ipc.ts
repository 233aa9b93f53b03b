/**
 * Messages between `startRelayProcess` (parent) and `child-entry.ts` (the forked relay).
 * The config, secret included, travels only over this IPC channel, never argv or env.
 */
import type { RelayConfig } from './config.js';
import type { RelayOptions } from './options.js';
import type { RelayEvents } from './types.js';

/** The {@link RelayOptions} that can cross a process boundary: all but the functions (`now`, `logger`). */
export type SerializableRelayOptions = Omit<RelayOptions, 'now' | 'logger'>;

export type ParentMessage =
  | { t: 'start'; id: number; config: RelayConfig; options: SerializableRelayOptions }
  | { t: 'stats'; id: number }
  | { t: 'metrics'; id: number }
  | { t: 'reload-tls'; id: number }
  | { t: 'stop'; id: number };

export type ChildMessage =
  | { t: 'reply'; id: number; ok: true; value: unknown }
  | { t: 'reply'; id: number; ok: false; error: string }
  | { t: 'event'; name: keyof RelayEvents; payload: RelayEvents[keyof RelayEvents][0] }
  | { t: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; msg: string; obj: object };
