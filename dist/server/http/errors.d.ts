/** JSON errors for the HTTP API, with the same `{ code, message }` shape as the socket protocol. */
import type { Response } from 'express';
import type { ErrorCode } from '../protocol/index.js';
export declare function sendError(res: Response, code: ErrorCode, message: string): void;
