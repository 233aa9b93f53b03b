import { type StunError } from '../stun/errors.js';
import { type StunMessage } from '../stun/message.js';
import type { NonceFactory } from './nonce.js';
export type AuthResult = {
    ok: true;
    username: string;
    key: Buffer;
}
/** `challenge`: the error response carries REALM and a fresh NONCE (401, 438). */
 | {
    ok: false;
    error: StunError;
    challenge: boolean;
};
export type Authenticator = (msg: StunMessage, clientIp: string, checkExpiry: boolean) => AuthResult;
export interface LongTermAuthParams {
    realm: string;
    secret: string;
    staticUsers: ReadonlyArray<{
        username: string;
        password: string;
    }>;
    nonces: NonceFactory;
    now: () => number;
}
export declare function longTermAuthenticator(p: LongTermAuthParams): Authenticator;
