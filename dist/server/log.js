/**
 * Structured logs (pino). Secrets never reach a log line: the paths below are redacted wherever
 * they appear, and callers log ids, never credentials or tokens.
 */
import { pino } from 'pino';
export function createLogger(level, destination) {
    return pino({
        level,
        base: { service: 'switchboard' },
        redact: {
            paths: ['secret', '*.secret', 'token', '*.token', 'credential', '*.credential', 'password', '*.password', 'key', '*.key', 'resumeKey', '*.resumeKey', 'authorization', '*.authorization', 'req.headers.authorization', 'req.headers.cookie'],
            censor: '[redacted]',
        },
    }, destination);
}
//# sourceMappingURL=log.js.map