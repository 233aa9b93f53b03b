/**
 * Thousands of malformed payloads at every event: each gets a well-formed error answer from the
 * closed set, nothing pollutes prototypes, the server keeps answering correctly afterwards, and the
 * heap does not grow beyond a bound.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../server/protocol/index.js';
import { join, next, request, startServer, type Client } from './harness.js';

interface Engine {
  write(data: string): void;
  on(ev: 'message', f: (data: string) => void): void;
}

/**
 * Sends socket.io EVENT packets as raw text through the engine, bypassing the client's encoder
 * (which itself chokes on some of these payloads), and resolves with the server's ACK.
 */
function rawSender(c: Client) {
  const engine = (c.io as unknown as { engine: Engine }).engine;
  const pending = new Map<number, (v: unknown) => void>();
  let nextId = 1_000_000;
  engine.on('message', (data: string) => {
    const m = /^3(\d+)([\s\S]*)$/.exec(data);
    if (m) pending.get(Number(m[1]))?.((JSON.parse(m[2]!) as unknown[])[0]);
  });
  return (text: string): Promise<unknown> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack for ${text.slice(0, 80)}`)), 10_000);
      pending.set(id, (v) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(v);
      });
      engine.write(`2${id}${text}`);
    });
  };
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function deep(depth: number): unknown {
  let v: unknown = { end: true };
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

const EVIL_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'room', 'to', 'data', 'resume'];

function payload(r: () => number, level = 0): unknown {
  const k = Math.floor(r() * 14);
  switch (k) {
    case 0: return null;
    case 1: return Math.floor(r() * 2 ** 53) * (r() < 0.5 ? -1 : 1);
    case 2: return r() < 0.5 ? NaN : Infinity;
    case 3: return 'x'.repeat(Math.floor(r() * 4) === 0 ? 100_000 : Math.floor(r() * 200));
    case 4: return r() < 0.5;
    case 5: return level > 3 ? [] : Array.from({ length: Math.floor(r() * 5) }, () => payload(r, level + 1));
    case 6: return deep(1 + Math.floor(r() * 2000));
    case 7: return Buffer.alloc(Math.floor(r() * 1000), 7);
    case 8: return JSON.parse(`{"__proto__": {"polluted": true}, "room": "r", "constructor": {"prototype": {"polluted": true}}}`);
    case 9: return { room: payload(r, level + 1), name: payload(r, level + 1) };
    case 10: return { to: 'abcdefghij', data: level > 3 ? 1 : payload(r, level + 1) };
    case 11: return { to: payload(r, level + 1), data: { type: 'offer', sdp: payload(r, level + 1) } };
    case 12: {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < 1 + Math.floor(r() * 6); i++) {
        // defineProperty: an own "__proto__" key, as JSON.parse makes, not a prototype change.
        Object.defineProperty(o, EVIL_KEYS[Math.floor(r() * EVIL_KEYS.length)]!, { value: level > 3 ? 0 : payload(r, level + 1), enumerable: true, configurable: true, writable: true });
      }
      return o;
    }
    default: return { room: 'fuzz', resume: { peerId: 'p'.repeat(Math.floor(r() * 100)), key: payload(r, level + 1) } };
  }
}

describe('fuzz', () => {
  it('answers thousands of malformed payloads at every event and keeps serving', async () => {
    const srv = await startServer({ RATE_LIMIT_BURST: '100000', RATE_LIMIT_PER_SECOND: '100000', ROOM_CAPACITY: '64' });
    const r = rng(12345);
    const events = ['join', 'signal', 'leave', 'ice-servers', 'nope', 'constructor', '__proto__'];
    const codes = new Set<string>(ERROR_CODES);
    const seen = new Map<string, number>();
    const clients = await Promise.all([0, 1, 2, 3].map(() => srv.client()));
    const senders = clients.map(rawSender);
    const baseline = await (async () => {
      gc();
      return process.memoryUsage().heapUsed;
    })();
    let sent = 0;
    for (let round = 0; round < 30; round++) {
      const batch: Promise<void>[] = [];
      for (let i = 0; i < 200; i++) {
        const send = senders[i % senders.length]!;
        const event = events[Math.floor(r() * events.length)]!;
        // Frames stay under maxHttpBufferSize: beyond it the engine closes the connection (limits.test.ts).
        let text: string;
        do {
          const args = Array.from({ length: Math.floor(r() * 3) }, () => payload(r));
          text = JSON.stringify([event, ...args]);
        } while (text.length > srv.config.maxHttpBufferSize - 64);
        sent++;
        batch.push(
          (send(text) as Promise<{ ok: boolean; error?: { code: string; message: string } }>).then((res) => {
            expect(typeof res.ok).toBe('boolean');
            if (!res.ok) {
              expect(codes.has(res.error!.code), JSON.stringify(res.error)).toBe(true);
              expect(typeof res.error!.message).toBe('string');
              seen.set(res.error!.code, (seen.get(res.error!.code) ?? 0) + 1);
            }
          }),
        );
      }
      await Promise.all(batch);
    }
    expect(sent).toBe(6000);
    expect(seen.get('bad-request')).toBeGreaterThan(1000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();

    gc();
    const growth = process.memoryUsage().heapUsed - baseline;
    expect(growth, `heap grew ${(growth / 1e6).toFixed(1)} MB`).toBeLessThan(30e6);

    // Still answering correctly, on the fuzzed sockets and on new ones.
    const [a, b] = [await srv.client(), await srv.client()];
    await join(a, 'after-fuzz');
    const jb = await join(b, 'after-fuzz');
    expect(await request(a, 'signal', { to: jb.peerId, data: { type: 'offer', sdp: 'v=0' } })).toEqual({ ok: true });
    for (const c of clients) expect(c.connected).toBe(true);
    expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
  }, 120_000);

  it('a packet that is not even JSON closes only that connection', async () => {
    const srv = await startServer();
    const [victim, bystander] = [await srv.client(), await srv.client()];
    await join(bystander, 'calm');
    const gone = next<string>(victim, 'disconnect');
    (victim.io as unknown as { engine: Engine }).engine.write('2{"not json');
    expect(await gone).toMatch(/transport|server/);
    expect(bystander.connected).toBe(true);
    expect(await request(bystander, 'ice-servers', {})).toMatchObject({ ok: true });
  });
});
