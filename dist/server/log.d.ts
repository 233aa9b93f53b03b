/**
 * Structured logs (pino). Secrets never reach a log line: the paths below are redacted wherever
 * they appear, and callers log ids, never credentials or tokens.
 */
import { pino, type Logger } from 'pino';
export type { Logger };
export declare function createLogger(level: string, destination?: pino.DestinationStream): Logger;
