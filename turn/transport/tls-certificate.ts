/**
 * The TLS listener's certificate and key, reloadable while the relay runs: on request (SIGHUP,
 * `reloadTls()`) and when either file changes (stat polled, following symlinks, so a certbot-style
 * symlink swap or a rename over the file is seen as well as an in-place write). A new pair is checked by building a
 * secure context from it before it replaces the old one; a pair that does not load (unreadable,
 * not PEM, key not matching the certificate) is refused with an error log line and the old pair
 * stays. Only new handshakes use the new pair (tls.Server.setSecureContext); established TLS
 * connections, and their allocations, are not touched.
 */
import { readFileSync, statSync } from 'node:fs';
import tls from 'node:tls';
import type { RelayLogger } from '../options.js';

/** A value of TURN_TLS_CERT / TURN_TLS_KEY: the PEM text itself, or a path to it. */
export function isInlinePem(v: string): boolean {
  return v.includes('-----BEGIN');
}

function pem(v: string): string | Buffer {
  return isInlinePem(v) ? v : readFileSync(v);
}

export class TlsCertificate {
  private pair: { cert: string | Buffer; key: string | Buffer };
  private server: tls.Server | undefined;
  /** The files' identity (inode, mtime, size) when they were last read: a change is any difference. */
  private stamp: string;
  private poll: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;

  /** Reads and checks the pair now: throws (the relay does not start) when it does not load. */
  constructor(
    private readonly certSource: string,
    private readonly keySource: string,
    private readonly logger: RelayLogger,
  ) {
    // Stamped before reading, so a change made while reading is seen by the next poll.
    this.stamp = this.stampNow();
    this.pair = TlsCertificate.load(certSource, keySource);
  }

  private stampNow(): string {
    return [this.certSource, this.keySource]
      .filter((p) => !isInlinePem(p))
      .map((p) => {
        try {
          const s = statSync(p);
          return `${s.ino}:${s.mtimeMs}:${s.size}`;
        } catch {
          return 'missing';
        }
      })
      .join('|');
  }

  private static load(certSource: string, keySource: string): { cert: string | Buffer; key: string | Buffer } {
    const pair = { cert: pem(certSource), key: pem(keySource) };
    // Throws on a key that does not match the certificate ("key values mismatch"), bad PEM, etc.
    tls.createSecureContext(pair);
    return pair;
  }

  /** The options for tls.createServer. */
  get options(): tls.SecureContextOptions {
    return { ...this.pair };
  }

  /** The server whose context `reload` replaces, and the file polling (`intervalMs` 0: none). */
  attach(server: tls.Server, intervalMs: number): void {
    this.server = server;
    if (intervalMs <= 0) return;
    if (isInlinePem(this.certSource) && isInlinePem(this.keySource)) return;
    this.poll = setInterval(() => {
      const now = this.stampNow();
      if (now === this.stamp) return;
      this.stamp = now;
      // Cert and key are usually replaced one after the other: one reload for both.
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.reload('file change'), Math.min(intervalMs, 500));
      this.debounce.unref();
    }, intervalMs);
    this.poll.unref();
  }

  /** Load the files again; true when the new pair is in use, false when it was refused (logged). */
  reload(trigger: string): boolean {
    if (!this.server) return false;
    let next;
    try {
      this.stamp = this.stampNow();
      next = TlsCertificate.load(this.certSource, this.keySource);
    } catch (err) {
      this.logger.error({ trigger, error: err instanceof Error ? err.message : String(err) }, 'turn: new TLS certificate refused, the old one stays in use');
      return false;
    }
    this.server.setSecureContext(next);
    this.pair = next;
    this.logger.info({ trigger }, 'turn: TLS certificate reloaded (new connections use it)');
    return true;
  }

  /** Stop polling the files. */
  close(): void {
    clearTimeout(this.debounce);
    clearInterval(this.poll);
    this.server = undefined;
  }
}
