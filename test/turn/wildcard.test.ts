/**
 * A relay listening on a wildcard address answers UDP from the address the client sent to (one
 * socket per local address, transport/udp.ts). In a network namespace of its own (root needed:
 * without it the test fails, naming it) with three addresses on `lo`; the client sends from
 * 127.0.0.1, so a wildcard socket would answer from 127.0.0.1 (the route's source) whatever
 * address it was sent to, which the second case shows.
 */
import { describe, expect, it } from 'vitest';
import { isRoot, Netns, ownedName, cleanupNamespaces } from '../support/netns.js';
import { REPO_ROOT } from '../support/server.js';

const PREFIX = 'sbwild';

function answersIn(ns: Netns, mode: 'per-address' | 'wildcard', listenIp: string, targets: string[]): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const child = ns.spawn(process.execPath, ['--import', 'tsx', 'test/turn/fixtures/answer-source.ts', mode, listenIp, ...targets], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += String(d)));
    child.stderr!.on('data', (d) => (err += String(d)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as Record<string, string>);
      } catch {
        reject(new Error(`fixture exited ${code}: ${out} ${err}`));
      }
    });
  });
}

describe('UDP on a wildcard listener', () => {
  it('answers from the address the client used, IPv4 and IPv6 (one socket per address)', async () => {
    if (!isRoot()) throw new Error('wildcard.test.ts needs root (it makes a network namespace)');
    cleanupNamespaces(PREFIX);
    const ns = Netns.create(ownedName(PREFIX));
    try {
      ns.ip('addr', 'add', '10.213.77.1/32', 'dev', 'lo');
      ns.ip('addr', 'add', '10.213.77.2/32', 'dev', 'lo');
      ns.ip('addr', 'add', 'fd00:213:77::2/128', 'dev', 'lo', 'nodad');
      const v4 = ['10.213.77.1', '10.213.77.2'];
      expect(await answersIn(ns, 'per-address', '0.0.0.0', v4)).toEqual({ '10.213.77.1': '10.213.77.1', '10.213.77.2': '10.213.77.2' });
      expect(await answersIn(ns, 'per-address', '::', [...v4, 'fd00:213:77::2'])).toEqual({ '10.213.77.1': '10.213.77.1', '10.213.77.2': '10.213.77.2', 'fd00:213:77::2': 'fd00:213:77::2' });
      // The single wildcard socket: every answer from the route's source, 127.0.0.1.
      expect(await answersIn(ns, 'wildcard', '0.0.0.0', v4)).toEqual({ '10.213.77.1': '127.0.0.1', '10.213.77.2': '127.0.0.1' });
    } finally {
      ns.delete();
    }
  }, 120_000);
});
