/** TURN over TLS (`turns:`), with a self-signed certificate made by the openssl CLI. */
import { execFileSync, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnRelay } from '../../turn/relay.js';
import type { RelayAddresses } from '../../turn/types.js';
import { PEER_IP, SECRET, client, startRelay, udpPeer, waitFor } from './helpers.js';

describe('TLS listener', () => {
  let dir: string;
  let relay: TurnRelay;
  let addr: RelayAddresses;
  let cert: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'turn-tls-'));
    cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    ({ relay, addr } = await startRelay({ tlsCert: cert, tlsKey: key, allowPeers: ['127.0.0.0/8'] }));
  });
  afterAll(async () => {
    await relay?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on its own port, UDP and TCP share another', () => {
    expect(addr.tls?.port).toBeGreaterThan(0);
    expect(addr.tcp.port).toBe(addr.udp.port);
    expect(addr.tls!.port).not.toBe(addr.udp.port);
  });

  it('allocates and relays ChannelData and Data indications over TLS (certificate verified)', async () => {
    const { readFileSync } = await import('node:fs');
    const c = await client(addr, { transport: 'tls', tls: { ca: readFileSync(cert), servername: 'localhost' } });
    const peer = await udpPeer(true);
    try {
      await c.allocate();
      const got: string[] = [];
      c.on('data', (d) => got.push(String(d)));
      await c.createPermission(PEER_IP);
      c.sendIndication({ address: PEER_IP, port: peer.port }, Buffer.from('one'));
      const ch = await c.channelBind({ address: PEER_IP, port: peer.port });
      c.sendChannelData(ch, Buffer.from('two!2'));
      await waitFor(() => got.length === 2, 10_000, 'echoes over TLS');
      expect(got.sort()).toEqual(['one', 'two!2']);
    } finally {
      await c.close();
      await peer.close();
    }
    await waitFor(async () => (await relay.stats()).relaySockets === 0, 10_000, 'TLS disconnect frees the allocation');
  });

  it('turnutils_uclient -t -S (TLS; plain -S would be DTLS, not offered) passes with no loss', async () => {
    const out = await new Promise<string>((resolve) =>
      execFile(
        'turnutils_uclient',
        ['-t', '-S', '-y', '-W', SECRET, '-u', 'tls', '-p', String(addr.tls!.port), '-n', '10', '-m', '1', '-z', '5', '-l', '100', '127.0.0.1'],
        { timeout: 40_000 },
        (err, stdout, stderr) => resolve(`${stdout}\n${stderr}\n${err && (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'turnutils_uclient not found: apt-get install coturn' : err?.message ?? ''}`),
      ),
    );
    expect(out).toMatch(/Total lost packets 0 \(/);
    expect(out).toMatch(/tot_send_msgs=(\d+), tot_recv_msgs=\1\s*$/m);
  }, 60_000);
});
