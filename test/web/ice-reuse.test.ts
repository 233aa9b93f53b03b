/**
 * When a new connection reuses the ICE servers (TURN credentials) it has instead of an
 * `ice-servers` round trip: the rule of ice-cache.ts, and the room's answering side.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NO_EXPIRY_REUSE_MS, restExpiryMs, reusableUntil } from '../../web/src/core/ice-cache.js';
import { B, setup, until } from './room-fakes.js';

const realNow = Date.now.bind(Date);
let shift = 0;
/** Moves this client's clock forward (timers keep real time). */
function advanceClock(ms: number) {
  shift += ms;
  vi.spyOn(Date, 'now').mockImplementation(() => realNow() + shift);
}
afterEach(() => {
  shift = 0;
  vi.restoreAllMocks();
});

const turn = (expirySec: number) => ({ urls: ['turn:join'], username: `${expirySec}:a`, credential: 'c' });
const inSeconds = (s: number) => Math.floor(Date.now() / 1000) + s;

describe('the reuse rule', () => {
  it('reads the expiry of REST usernames only', () => {
    expect(restExpiryMs('1700000000:peer-1')).toBe(1_700_000_000_000);
    expect(restExpiryMs('1700000000')).toBe(1_700_000_000_000);
    expect(restExpiryMs('alice')).toBeNull();
    expect(restExpiryMs('12ab:x')).toBeNull();
    expect(restExpiryMs(undefined)).toBeNull();
  });

  it('REST credentials: the first half of their lifetime; others: a fixed age', () => {
    const at = 1_000_000_000_000;
    const rest = (s: number) => ({ urls: ['turn:x'], username: `${at / 1000 + s}:id`, credential: 'c' });
    expect(reusableUntil([rest(3600)], at)).toBe(at + 1800_000);
    expect(reusableUntil([rest(3600), rest(600)], at)).toBe(at + 300_000); // the soonest
    expect(reusableUntil([rest(-10)], at)).toBeLessThan(at); // expired on arrival
    expect(reusableUntil([{ urls: ['stun:x'] }], at)).toBe(at + NO_EXPIRY_REUSE_MS);
    expect(reusableUntil([rest(3600), { urls: ['turn:y'], username: 'static', credential: 'p' }], at)).toBe(at + NO_EXPIRY_REUSE_MS);
  });
});

describe('the room', () => {
  const offer = { type: 'offer', sdp: 'v=0\r\no=- 4242 2 IN IP4 0.0.0.0\r\n' };

  async function answer(joinIce: ReturnType<typeof turn>[], before?: () => void) {
    const s = setup({ joinIce });
    s.room.start();
    await until('joined', () => s.room.status === 'joined');
    before?.();
    s.socket.fire('peer-joined', { id: B, name: 'Bea', resumed: false });
    s.socket.fire('signal', { from: B, data: offer });
    await until('answering link', () => s.peers.length === 1);
    return { ...s, urls: s.peers[0]!.opts.config.iceServers![0]!.urls, requests: s.socket.sent.filter((x) => x.event === 'ice-servers').length };
  }

  it('answers with the join\'s credentials while they are fresh: no ice-servers request', async () => {
    const r = await answer([turn(inSeconds(3600))]);
    expect(r.requests).toBe(0);
    expect(r.urls).toEqual(['turn:join']);
  });

  it('fetches new ones when they have less than half their lifetime left', async () => {
    const r = await answer([turn(inSeconds(3600))], () => advanceClock(31 * 60_000));
    expect(r.requests).toBe(1);
    expect(r.urls).toEqual(['turn:x?1']);
  });

  it('fetches new ones when the join\'s have expired', async () => {
    const r = await answer([turn(inSeconds(-5))]);
    expect(r.requests).toBe(1);
    expect(r.urls).toEqual(['turn:x?1']);
  });
  // The initiator's retry after a failure fetches new ones anyway: room.test.ts (failed link).
});
