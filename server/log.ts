/**
 * Structured logs (pino). Secrets never reach a log line: the paths below are redacted wherever
 * they appear, and callers log ids, never credentials or tokens.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * A pino logger at `level` (a pino level name, e.g. `info`, or `silent`) writing JSON lines to
 * `destination` (default stdout), with secrets, tokens and credentials redacted.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'switchboard' },
      redact: {
        paths: ['secret', '*.secret', 'token', '*.token', 'credential', '*.credential', 'password', '*.password', 'key', '*.key', 'resumeKey', '*.resumeKey', 'authorization', '*.authorization', 'req.headers.authorization', 'req.headers.cookie'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
