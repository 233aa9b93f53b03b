/**
 * Listening on HOST:PORT. The default HOST is `::` which, with Node's default `ipv6Only: false`,
 * is one dual-stack socket: IPv6 clients and IPv4 clients (seen as `::ffff:a.b.c.d`) alike. A host
 * whose kernel has no IPv6 (booted with `ipv6.disable=1`: EAFNOSUPPORT; EADDRNOTAVAIL on some
 * container runtimes) cannot bind `::`: then, and only when HOST was left unset, the server
 * listens on `0.0.0.0` instead and says so. An explicit HOST that cannot be bound fails start.
 */
import type { Server } from 'node:http';
import type { Logger } from '../log.js';

/** The errors that mean "this host has no IPv6", not "this address is busy or not allowed". */
const NO_IPV6 = new Set(['EAFNOSUPPORT', 'EADDRNOTAVAIL']);

function listenOnce(http: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    http.once('error', onError);
    http.listen(port, host, () => {
      http.off('error', onError);
      resolve();
    });
  });
}

/**
 * Listen on `host`, or on `hostFallback` when `host` fails for want of IPv6 (a warning names both).
 * Resolves with the address listened on.
 */
export async function listenWithFallback(http: Server, opts: { port: number; host: string; hostFallback?: string | undefined }, log: Pick<Logger, 'warn'>): Promise<string> {
  try {
    await listenOnce(http, opts.port, opts.host);
    return opts.host;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!opts.hostFallback || !code || !NO_IPV6.has(code)) throw err;
    log.warn({ host: opts.host, fallback: opts.hostFallback, code }, `cannot listen on ${opts.host} (this host has no IPv6): listening on ${opts.hostFallback}, IPv4 only (set HOST to choose)`);
    await listenOnce(http, opts.port, opts.hostFallback);
    return opts.hostFallback;
  }
}

/** The base URL for a listen address: a wildcard becomes `localhost`, an IPv6 literal is bracketed. */
export function baseUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}
