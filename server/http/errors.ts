/** JSON errors for the HTTP API, with the same `{ code, message }` shape as the socket protocol. */
import type { Response } from 'express';
import type { ErrorCode } from '../protocol/index.js';

const STATUS: Record<ErrorCode, number> = {
  'bad-request': 400,
  unauthorized: 401,
  'not-found': 404,
  'not-in-room': 404,
  'unknown-peer': 404,
  'room-full': 409,
  'too-large': 413,
  'rate-limited': 429,
  internal: 500,
  unavailable: 503,
};

export function sendError(res: Response, code: ErrorCode, message: string): void {
  res.status(STATUS[code]).json({ error: { code, message } });
}
