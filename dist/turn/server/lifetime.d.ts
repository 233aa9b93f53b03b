import { type StunMessage } from '../stun/message.js';
import type { RelayConfig } from '../../server/config.js';
export declare function desiredLifetime(msg: StunMessage, config: Pick<RelayConfig, 'defaultLifetime' | 'maxLifetime'>): number;
