import type { Request, ServerContext } from './context.js';
export declare function handleBinding(ctx: ServerContext, req: Request): Buffer;
