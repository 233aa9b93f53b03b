/** Test certificates made with the openssl CLI, and the certificate a TLS listener serves. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import tls from 'node:tls';

/** A self-signed P-256 certificate for 127.0.0.1 with CN `name`: `<dir>/<name>-cert.pem` and `-key.pem`. */
export function makeCert(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}-cert.pem`);
  const key = join(dir, `${name}-key.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { cert, key };
}

/** The CN of the certificate a new TLS connection to 127.0.0.1:`port` is given. */
export function servedCn(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const cn = s.getPeerCertificate().subject?.CN;
      s.end();
      resolve(String(cn));
    });
    s.once('error', reject);
    s.setTimeout(10_000, () => s.destroy(new Error('TLS handshake timed out')));
  });
}
