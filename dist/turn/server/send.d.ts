import { type StunMessage } from '../stun/message.js';
import type { ClientConn } from '../transport/conn.js';
import type { ServerContext } from './context.js';
export declare function handleSend(ctx: ServerContext, msg: StunMessage, conn: ClientConn): void;
