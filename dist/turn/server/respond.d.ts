import type { StunError } from '../stun/errors.js';
import { MessageBuilder } from '../stun/message.js';
import type { Request, ServerContext } from './context.js';
export type Fill = (b: MessageBuilder) => void;
export declare function success(ctx: ServerContext, req: Request, fill?: Fill): Buffer;
/** An error response; `withKey` false for 400/401/438 sent before the key is known. */
export declare function failure(ctx: ServerContext, req: Request, err: StunError, fill?: Fill, withKey?: boolean): Buffer;
/** 401 / 438 challenge: REALM and a fresh NONCE, no MESSAGE-INTEGRITY (RFC 8489 section 9.2.4). */
export declare function challenge(ctx: ServerContext, req: Request, err: StunError): Buffer;
