/**
 * Peer address checks shared by CreatePermission, ChannelBind and Send (RFC 8656 sections 9.2,
 * 10.2, 11.2): policy must allow it (403), family must match the relayed address (443).
 */
import { type StunError } from '../stun/errors.js';
import type { TransportAddress } from '../stun/address.js';
import type { ServerContext } from './context.js';
export type PeerCheck = {
    ok: true;
    local: boolean;
} | {
    ok: false;
    error: StunError;
};
export declare function checkPeer(ctx: ServerContext, peer: TransportAddress | null | undefined): PeerCheck;
