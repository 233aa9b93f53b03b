import type { Request, ServerContext } from './context.js';
export declare function handleChannelBind(ctx: ServerContext, req: Request): Buffer;
