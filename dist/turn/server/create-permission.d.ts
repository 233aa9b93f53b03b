import type { Request, ServerContext } from './context.js';
export declare function handleCreatePermission(ctx: ServerContext, req: Request): Buffer;
