/**
 * The client SDK in Node with werift as its WebRTC (node/werift-rtc.ts, passed as `rtc`): two
 * peers in a room on the real server (in-process, with its embedded relay) connect, exchange text,
 * JSON and binary messages both ways and a 5 MB file whose SHA-256 verifies; directly, then through
 * the relay only (TURN over UDP). Everything stays on 127.0.0.1: werift gathers on loopback only
 * (LOOPBACK_ONLY), and the test checks every candidate and every UDP socket of this process.
 */
import { createHook } from 'node:async_hooks';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FileTransfer, type Message, type Room, type RoomEventMap, joinRoom } from 'switchboard/client';
import { type App, createApp, loadConfig } from '../../server/index.js';
import type { AllocationEvent } from '../../turn/types.js';
import { LOOPBACK_ONLY, type RTCIceCandidate, createWeriftRtc } from '../../node/werift-rtc.js';

const FILE_BYTES = 5 * 1024 * 1024;

/**
 * Timers and sockets made by the SDK, simple-peer, werift, the adapter or the server: none may
 * outlive the test (a ref'd one keeps the fork from exiting). Recorded with where they were made.
 */
const OURS = /node_modules\/(werift|simple-peer|socket\.io|engine\.io)|\/web\/src\/core\/|\/node\/werift-rtc|\/server\/|\/turn\//;
const handles = new Map<number, { type: string; where: string; resource: { hasRef?: () => boolean } }>();
const hook = createHook({
  init(id, type, _trigger, resource) {
    if (type !== 'Timeout' && type !== 'UDPWRAP' && type !== 'TCPWRAP') return;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 12;
    const where = new Error().stack ?? '';
    Error.stackTraceLimit = limit;
    if (OURS.test(where)) handles.set(id, { type, where, resource: resource as { hasRef?: () => boolean } });
  },
  destroy(id) {
    handles.delete(id);
  },
});
/** What is still open and would keep the process alive. */
const alive = () => [...handles.values()].filter((h) => h.resource.hasRef?.() ?? true);

/** Every candidate the SDK's peer connections gathered and were given. */
const localCandidates: RTCIceCandidate[] = [];
const remoteCandidates: string[] = [];
const base = createWeriftRtc({ peerConfig: LOOPBACK_ONLY });
class RecordingPeerConnection extends base.RTCPeerConnection {
  constructor(config?: RTCConfiguration) {
    super(config);
    this.addEventListener('icecandidate', (e) => {
      const c = (e as Event & { candidate: RTCIceCandidate | null }).candidate;
      if (c) localCandidates.push(c);
    });
  }
  override addIceCandidate(c?: RTCIceCandidateInit | null): Promise<void> {
    if (c?.candidate) remoteCandidates.push(c.candidate);
    return super.addIceCandidate(c);
  }
}
const rtc = { ...base, RTCPeerConnection: RecordingPeerConnection };

let app: App;
let url = '';
const allocations: AllocationEvent[] = [];
const rooms: Room[] = [];

/** Resolves with the first `event` whose arguments satisfy `ok` (checked against `now` first). */
function waitFor<K extends keyof RoomEventMap>(room: Room, event: K, ok: (...args: RoomEventMap[K]) => boolean, what: string, timeoutMs = 30_000): Promise<RoomEventMap[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error(`timed out waiting for ${what}`))), timeoutMs);
    const off = room.on(event, (...args) => {
      if (!ok(...args)) return;
      clearTimeout(timer);
      off();
      resolve(args);
    });
  });
}

/** Resolves once `check()` holds, re-checked on every `change` of the room. */
function until(room: Room, check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  if (check()) return Promise.resolve();
  return waitFor(room, 'change', check, what, timeoutMs).then(() => undefined);
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** UDP sockets of this process as `ss` lists them: local address:port. */
function ownUdpSockets(): string[] {
  const out = execFileSync('ss', ['-uanp'], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes(`pid=${process.pid},`))
    .map((l) => l.trim().split(/\s+/)[3]!);
}

beforeAll(async () => {
  hook.enable();
  app = createApp(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      TURN_PORT: '0',
      TURN_LISTEN_IP: '127.0.0.1',
      PUBLIC_IP: '127.0.0.1',
      TURN_ALLOW_PEERS: '127.0.0.0/8',
      TURN_SECRET: 'werift-test-secret-0123456789',
      LOG_LEVEL: 'silent',
    }),
  );
  ({ url } = await app.start());
  app.relay()?.on('allocation-created', (e) => allocations.push(e));
});

afterAll(async () => {
  for (const r of rooms) r.leave();
  await app?.stop();
  // werift closes its sockets asynchronously after close(): give it a moment, then nothing of the
  // SDK's, werift's or the server's may be left that keeps the process alive.
  const deadline = Date.now() + 1_000;
  while (alive().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  hook.disable();
  expect(alive().map((h) => `${h.type} ${h.where}`)).toEqual([]);
  expect(ownUdpSockets()).toEqual([]);
});

async function pair(roomName: string, relayOnly: boolean): Promise<{ a: Room; b: Room; aId: string; bId: string }> {
  const join = (name: string) => {
    const room = joinRoom({ url, room: roomName, name, rtc, relayOnly, statsIntervalMs: 200 });
    rooms.push(room);
    return room;
  };
  const a = join('alice');
  await until(a, () => a.state === 'joined', 'alice joined');
  const b = join('bob');
  await until(b, () => b.state === 'joined', 'bob joined');
  const joinedAt = Date.now();
  const aId = a.selfId!;
  const bId = b.selfId!;
  await Promise.all([
    until(a, () => a.peer(bId)?.state === 'connected', 'alice sees bob connected'),
    until(b, () => b.peer(aId)?.state === 'connected', 'bob sees alice connected'),
  ]);
  console.log(`[werift ${relayOnly ? 'relay' : 'direct'}] data channel open ${Date.now() - joinedAt} ms after both joined`);
  return { a, b, aId, bId };
}

async function exchangeMessages(a: Room, b: Room, aId: string, bId: string): Promise<void> {
  const collect = (room: Room, n: number) =>
    new Promise<Message[]>((resolve, reject) => {
      const got: Message[] = [];
      const timer = setTimeout(() => reject(new Error(`timed out: ${got.length} of ${n} messages`)), 10_000);
      const off = room.on('message', (m) => {
        got.push(m);
        if (got.length === n) (clearTimeout(timer), off(), resolve(got));
      });
    });
  const atB = collect(b, 3);
  const atA = collect(a, 3);
  const bytes = new Uint8Array([0, 1, 2, 254, 255]);
  expect(a.send('hello bob', { to: bId })).toEqual([bId]);
  a.send({ n: 1, list: ['x', true, null] }, { to: bId });
  a.send(bytes, { to: bId });
  b.send('hello alice', { to: aId });
  b.send({ n: 2 }, { to: aId });
  b.send(bytes.slice().reverse(), { to: aId });
  const [fromA, fromB] = await Promise.all([atB, atA]);
  expect(fromA.map((m) => [m.from, m.kind, m.kind === 'binary' ? [...m.data] : m.data])).toEqual([
    [aId, 'text', 'hello bob'],
    [aId, 'json', { n: 1, list: ['x', true, null] }],
    [aId, 'binary', [0, 1, 2, 254, 255]],
  ]);
  expect(fromB.map((m) => [m.from, m.kind, m.kind === 'binary' ? [...m.data] : m.data])).toEqual([
    [bId, 'text', 'hello alice'],
    [bId, 'json', { n: 2 }],
    [bId, 'binary', [255, 254, 2, 1, 0]],
  ]);
}

async function sendFile(a: Room, b: Room, bId: string, label: string): Promise<void> {
  const data = new Uint8Array(randomBytes(FILE_BYTES));
  const received = waitFor(b, 'file-received', (t) => t.name === `${label}.bin`, `${label}.bin received`, 60_000);
  const verdict = waitFor(a, 'file-progress', (t) => t.direction === 'out' && t.name === `${label}.bin` && t.verified !== undefined, 'the receiver verdict', 60_000);
  await a.sendFile({ name: `${label}.bin`, data }, { to: bId });
  const [t, blob] = (await received) as [FileTransfer, Blob];
  expect(t.verified).toBe(true);
  expect(t.size).toBe(FILE_BYTES);
  const got = new Uint8Array(await blob.arrayBuffer());
  expect(got.length).toBe(FILE_BYTES);
  expect(sha256(got)).toBe(sha256(data));
  expect(t.sha256).toBe(sha256(data));
  const [out] = await verdict;
  expect(out.verified).toBe(true);
  const ms = (t.finishedAt ?? Date.now()) - t.startedAt;
  console.log(`[werift ${label}] ${FILE_BYTES / 2 ** 20} MB in ${ms} ms: ${((FILE_BYTES / 2 ** 20) / (ms / 1000)).toFixed(1)} MB/s`);
}

/** Every candidate either side gathered or was given, and every UDP socket of this process, is on 127.0.0.1. */
function expectLoopbackOnly(): void {
  expect(localCandidates.length).toBeGreaterThan(0);
  for (const c of localCandidates) expect(c.address, c.candidate).toBe('127.0.0.1');
  for (const c of remoteCandidates) expect(c.split(/\s+/)[4], c).toBe('127.0.0.1');
  const sockets = ownUdpSockets();
  expect(sockets.length).toBeGreaterThan(0);
  for (const s of sockets) expect(s).toMatch(/^127\.0\.0\.1:\d+$/);
}

describe('the SDK in Node on werift', () => {
  it('connects directly: messages both ways, a 5 MB file verified, path direct, loopback only', async () => {
    const { a, b, aId, bId } = await pair('werift-direct', false);
    await exchangeMessages(a, b, aId, bId);
    await sendFile(a, b, bId, 'direct');
    await until(a, () => a.peer(bId)?.path === 'direct', 'path direct');
    expect(a.peer(bId)?.stats?.localType).toBe('host');
    // Without relayOnly werift gathers host, server-reflexive and relay candidates (the server
    // gives it STUN and TURN), all on 127.0.0.1 here; the host pair wins.
    expect(localCandidates.some((c) => c.type === 'host')).toBe(true);
    expectLoopbackOnly();
    for (const r of [a, b]) r.leave();
  }, 90_000);

  it('connects through the relay only (TURN over UDP): messages, a 5 MB file verified, path relay', async () => {
    localCandidates.length = 0;
    remoteCandidates.length = 0;
    const before = (await app.relay()!.stats()).bytesToPeers;
    const { a, b, aId, bId } = await pair('werift-relay', true);
    await exchangeMessages(a, b, aId, bId);
    await sendFile(a, b, bId, 'relay');
    await until(a, () => a.peer(bId)?.path === 'relay', 'path relay');
    await until(b, () => b.peer(aId)?.path === 'relay', 'path relay (bob)');
    expect(a.peer(bId)?.stats?.localType).toBe('relay');
    expect(localCandidates.length).toBeGreaterThan(0);
    expect(localCandidates.every((c) => c.type === 'relay')).toBe(true);
    expectLoopbackOnly();
    // Allocated over UDP (werift falls back to TCP when UDP fails: it did not), and the file went through.
    expect(allocations.length).toBeGreaterThanOrEqual(2);
    for (const e of allocations) expect(e.client).toMatch(/^udp:127\.0\.0\.1:\d+$/);
    expect((await app.relay()!.stats()).bytesToPeers - before).toBeGreaterThan(FILE_BYTES);
    for (const r of [a, b]) r.leave();
  }, 90_000);

  it('the adapter: getStats() is the promise form, media is refused clearly', () => {
    const pc = new rtc.RTCPeerConnection();
    try {
      // simple-peer takes the legacy callback form when getStats declares a parameter.
      expect(pc.getStats.length).toBe(0);
      expect(() => pc.addTransceiver('video')).toThrow('media tracks are not supported in Node (werift adapter)');
      expect(() => pc.addTrack({})).toThrow('media tracks are not supported in Node (werift adapter)');
      expect(pc.getTransceivers()).toEqual([]);
      const ch = pc.createDataChannel('x');
      expect(ch.binaryType).toBe('arraybuffer');
      expect(ch.readyState).toBe('connecting');
      expect(() => ch.send('too early')).toThrow(/connecting/);
    } finally {
      pc.close();
    }
    expect(pc.signalingState).toBe('closed');
  });
});
