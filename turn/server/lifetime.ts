/**
 * RFC 8656 section 7.2 step 7 / section 7.3: desired lifetime = min(requested, max); if that is not
 * above the default, the default. LIFETIME 0 (Refresh only) means delete.
 */
import { Attr } from '../stun/constants.js';
import { getUint32, type StunMessage } from '../stun/message.js';
import type { RelayConfig } from '../config.js';

export function desiredLifetime(msg: StunMessage, config: Pick<RelayConfig, 'defaultLifetime' | 'maxLifetime'>): number {
  const requested = getUint32(msg, Attr.Lifetime);
  if (requested === undefined) return config.defaultLifetime;
  if (requested === 0) return 0;
  const v = Math.min(requested, config.maxLifetime);
  return v > config.defaultLifetime ? v : config.defaultLifetime;
}
