/**
 * `switchboard conformance` (issue 20): the check plays the other peer against a client under
 * test. Against the SDK (Node, werift) every check passes, whichever of the two joins first;
 * against a client broken on purpose (the SDK with its wire tampered: its hello misnamed, its
 * protocol-error answers and its end-of-candidates swallowed) exactly those checks fail, and the
 * command exits 1 naming them. A real server (with its embedded relay) on loopback; werift
 * gathers on 127.0.0.1 only.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinRoom, type Room } from 'switchboard/client';
import type { PeerArgs } from '../../cli/args.js';
import { conformance } from '../../cli/conformance/checks.js';
import { LOOPBACK_ONLY, createWeriftRtc } from '../../node/werift-rtc.js';
import { type App, createApp, loadConfig } from '../../server/index.js';
import { REPO_ROOT } from '../support/server.js';

/** Every check that runs whoever offers; `channel.reliable` only when the client made the channel. */
const CHECKS = ['signal.sdp', 'channel.open', 'channel.hello', 'channel.version', 'channel.answers-malformed', 'channel.answers-binary', 'channel.no-loop', 'channel.accepts-chat', 'file.acks', 'file.verified', 'file.mismatch', 'channel.valid', 'signal.valid', 'signal.end-of-candidates', 'channel.stays-open'];

let app: App;
let url = '';
const rooms: Room[] = [];

beforeAll(async () => {
  app = createApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', TURN_PORT: '0', TURN_LISTEN_IP: '127.0.0.1', PUBLIC_IP: '127.0.0.1', TURN_ALLOW_PEERS: '127.0.0.0/8', TURN_SECRET: 'conformance-test-secret-0123456789', LOG_LEVEL: 'silent' }));
  ({ url } = await app.start());
});
afterAll(async () => {
  for (const r of rooms) r.leave();
  await app?.stop();
});

const args = (room: string): PeerArgs => ({ server: url, room, name: 'conformance', token: undefined, relay: false, waitMs: 20_000, iceAddress: '127.0.0.1', path: undefined });

/** The SDK in Node, as a client under test; `rtc` may tamper with its wire. */
function sdkPeer(room: string, rtc = createWeriftRtc({ peerConfig: LOOPBACK_ONLY })): Room {
  const r = joinRoom({ url, room, name: 'under test', rtc });
  rooms.push(r);
  return r;
}

const joined = (r: Room) => new Promise<void>((resolve) => (r.state === 'joined' ? resolve() : r.on('change', () => r.state === 'joined' && resolve())));

/**
 * The SDK's WebRTC with three faults on the wire: the hello goes out as `type` instead of `t`,
 * protocol-error answers are swallowed, and so is the end of candidates.
 */
function brokenRtc() {
  const base = createWeriftRtc({ peerConfig: LOOPBACK_ONLY });
  const tamper = (ch: { send(d: unknown): void }) => {
    const send = ch.send.bind(ch);
    ch.send = (d: unknown) => {
      if (typeof d !== 'string') return send(d);
      if (d.includes('"t":"protocol-error"')) return undefined;
      return send(d.replace('"t":"hello"', '"type":"hello"'));
    };
  };
  class Broken extends base.RTCPeerConnection {
    override dispatchEvent(ev: Event): boolean {
      if (ev.type === 'icecandidate' && (ev as Event & { candidate: unknown }).candidate === null) return true;
      if (ev.type === 'datachannel') tamper((ev as Event & { channel: { send(d: unknown): void } }).channel);
      return super.dispatchEvent(ev);
    }
  }
  return { ...base, RTCPeerConnection: Broken };
}

describe('switchboard conformance', () => {
  it('docs/protocol.md lists exactly the checks it runs', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/protocol.md'), 'utf8');
    const table = doc.slice(doc.indexOf('## Conformance'));
    const listed = [...table.matchAll(/^\| `([\w.-]+)` \|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(['signal.offer', 'signal.answer', 'channel.reliable', ...CHECKS].sort());
  });

  it('passes every check against the SDK when the SDK is in the room first (the check offers)', async () => {
    const r = sdkPeer('conf-first');
    await joined(r);
    const lines: string[] = [];
    const report = await conformance(args('conf-first'), (l) => lines.push(l));
    expect(report.failed, lines.join('\n')).toEqual([]);
    expect(report.results.map((c) => c.id).sort()).toEqual(['signal.answer', ...CHECKS].sort());
    // The SDK received and verified the check's file, and told its user about the bad one.
    expect(r.transfers.filter((t) => t.direction === 'in').map((t) => t.state).sort()).toEqual(['done', 'failed']);
  }, 90_000);

  it('passes every check against the SDK when the SDK joins second (the SDK offers, its channel is checked)', async () => {
    const lines: string[] = [];
    const running = conformance(args('conf-second'), (l) => lines.push(l));
    // Joins once the check is in the room (it says so first).
    await new Promise<void>((resolve) => {
      const t = setInterval(() => lines.some((l) => l.startsWith('joined room')) && (clearInterval(t), resolve()), 20);
    });
    sdkPeer('conf-second');
    const report = await running;
    expect(report.failed, lines.join('\n')).toEqual([]);
    expect(report.results.map((c) => c.id).sort()).toEqual(['signal.offer', 'channel.reliable', ...CHECKS].sort());
  }, 90_000);

  it('names what a broken client gets wrong, and the command exits 1', async () => {
    const r = sdkPeer('conf-broken', brokenRtc());
    await joined(r);
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'cli/main.ts'), 'conformance', '--server', url, '--room', 'conf-broken', '--wait', '20', '--ice-address', '127.0.0.1'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const failed = [...out.matchAll(/^FAIL {2}([\w.-]+):/gm)].map((m) => m[1]).sort();
    expect(failed, out).toEqual(['channel.answers-binary', 'channel.answers-malformed', 'channel.hello', 'channel.valid', 'signal.end-of-candidates']);
    expect(out).toMatch(/first was "\{\\"type\\":\\"hello\\"/);
    expect(out).toMatch(/^conformance: 5 of 15 checks failed: /m);
    expect(code).toBe(1);
  }, 90_000);
});
