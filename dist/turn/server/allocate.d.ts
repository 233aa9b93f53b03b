import type { Request, ServerContext } from './context.js';
export declare function handleAllocate(ctx: ServerContext, req: Request): Promise<Buffer | null>;
