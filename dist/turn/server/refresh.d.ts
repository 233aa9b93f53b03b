import type { Request, ServerContext } from './context.js';
export declare function handleRefresh(ctx: ServerContext, req: Request): Buffer;
