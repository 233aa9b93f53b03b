import { describe, expect, it } from 'vitest';
import { NonceFactory } from '../../turn/auth/nonce.js';
import { RateLimiter } from '../../turn/auth/rate-limiter.js';
import { restCredentials, restExpiry, restPassword } from '../../turn/auth/rest.js';
import { isOpaqueStringSafe } from '../../turn/auth/saslprep.js';
import { longTermAuthenticator } from '../../turn/auth/long-term.js';
import { TokenBucket } from '../../turn/allocation/token-bucket.js';
import { Attr, Class, MessageBuilder, Method, decode, longTermKey } from '../../turn/stun/index.js';
import { fakeClock } from './helpers.js';

describe('TURN REST credentials (coturn use-auth-secret)', () => {
  it('password = base64(HMAC-SHA1(secret, username)), same as openssl computes', () => {
    // echo -n "1700000000:alice" | openssl dgst -sha1 -hmac "test-secret-0123456789abcdef" -binary | base64
    expect(restPassword('test-secret-0123456789abcdef', '1700000000:alice')).toBe('AD2gG7/IasG8z1/PzPzi65L53TI=');
  });
  it('restCredentials encodes expiry = now + ttl', () => {
    const c = restCredentials('s', 'bob', 60, 1_000_000_000_000);
    expect(c.username).toBe('1000000060:bob');
    expect(c.password).toBe(restPassword('s', c.username));
  });
  it('parses the expiry from `<expiry>:<id>` and `<expiry>` alone, rejects others', () => {
    expect(restExpiry('1700000000:alice')).toBe(1700000000);
    expect(restExpiry('1700000000')).toBe(1700000000);
    expect(restExpiry('1700000000:a:b')).toBe(1700000000);
    expect(restExpiry('alice')).toBeUndefined();
    expect(restExpiry('12x:alice')).toBeUndefined();
    expect(restExpiry(':alice')).toBeUndefined();
  });
});

describe('stateless nonces', () => {
  it('valid for the TTL, from the same client IP only; forged and garbage are stale', () => {
    const clock = fakeClock(1_700_000_000_000);
    const f = new NonceFactory(600_000, clock.now);
    const n = f.issue('192.0.2.1');
    expect(f.check(n, '192.0.2.1')).toBe('ok');
    expect(f.check(n, '192.0.2.2')).toBe('stale');
    clock.advance(599_000);
    expect(f.check(n, '192.0.2.1')).toBe('ok');
    clock.advance(2_000);
    expect(f.check(n, '192.0.2.1')).toBe('stale');
    const fresh = f.issue('192.0.2.1');
    expect(fresh).not.toBe(n);
    expect(f.check(fresh, '192.0.2.1')).toBe('ok');
    // Another server key, a tampered timestamp, garbage:
    expect(new NonceFactory(600_000, clock.now).check(fresh, '192.0.2.1')).toBe('stale');
    expect(f.check(`${(clock.now() + 5).toString(16).padStart(12, '0')}${fresh.slice(12)}`, '192.0.2.1')).toBe('stale');
    expect(f.check('', '192.0.2.1')).toBe('stale');
    expect(f.check('x'.repeat(34), '192.0.2.1')).toBe('stale');
  });
});

describe('SASLprep-safe strings', () => {
  it('accepts printable ASCII only', () => {
    expect(isOpaqueStringSafe('1700000000:alice')).toBe(true);
    expect(isOpaqueStringSafe('user name with spaces')).toBe(true);
    expect(isOpaqueStringSafe('')).toBe(false);
    expect(isOpaqueStringSafe('ma\u00adtrix')).toBe(false); // soft hyphen: SASLprep maps it to nothing
    expect(isOpaqueStringSafe('\u2168')).toBe(false); // ROMAN NUMERAL NINE: NFKC changes it
    expect(isOpaqueStringSafe('tab\there')).toBe(false);
    expect(isOpaqueStringSafe('x'.repeat(513))).toBe(false);
  });
});

describe('long-term authenticator', () => {
  const clock = fakeClock(1_700_000_000_000);
  const nonces = new NonceFactory(600_000, clock.now);
  const auth = longTermAuthenticator({ realm: 'r', secrets: ['s'], staticUsers: [{ username: 'dev', password: 'pw' }], nonces, now: clock.now });
  const signed = (username: string, password: string, realm = 'r', nonce = nonces.issue('1.2.3.4')) => {
    const b = new MessageBuilder(Method.Allocate, Class.Request);
    b.addString(Attr.Username, username).addString(Attr.Realm, realm).addString(Attr.Nonce, nonce);
    return decode(b.build({ key: longTermKey(username, realm, password), fingerprint: true }))!;
  };
  it('REST and static users pass; wrong password, realm, expiry, nonce fail with the right code', () => {
    const u = '1700000600:alice';
    expect(auth(signed(u, restPassword('s', u)), '1.2.3.4', true)).toMatchObject({ ok: true, username: u });
    expect(auth(signed(u, restPassword('s', u)), '1.2.3.4', true)).toMatchObject({ ok: true }); // cached key
    expect(auth(signed('dev', 'pw'), '1.2.3.4', true)).toMatchObject({ ok: true, username: 'dev' });
    expect(auth(signed(u, 'nope'), '1.2.3.4', true)).toMatchObject({ ok: false, error: { code: 401 } });
    expect(auth(signed(u, restPassword('s', u), 'other'), '1.2.3.4', true)).toMatchObject({ ok: false, error: { code: 401 } });
    const old = '1699999999:alice';
    expect(auth(signed(old, restPassword('s', old)), '1.2.3.4', true)).toMatchObject({ ok: false, error: { code: 401 } });
    expect(auth(signed(old, restPassword('s', old)), '1.2.3.4', false)).toMatchObject({ ok: true }); // Refresh
    expect(auth(signed(u, restPassword('s', u)), '5.6.7.8', true)).toMatchObject({ ok: false, error: { code: 438 } });
    expect(auth(signed('ma\u00adx', 'pw'), '1.2.3.4', true)).toMatchObject({ ok: false, error: { code: 400 } });
    const bare = decode(new MessageBuilder(Method.Allocate, Class.Request).build())!;
    expect(auth(bare, '1.2.3.4', true)).toMatchObject({ ok: false, error: { code: 401 }, challenge: true });
    const noUser = decode(new MessageBuilder(Method.Allocate, Class.Request).build({ key: Buffer.from('k') }))!;
    expect(auth(noUser, '1.2.3.4', true)).toMatchObject({ ok: false, error: { code: 400 }, challenge: false });
  });
});

describe('rate limiter and token bucket', () => {
  it('limits per key, refills, and keeps at most maxEntries keys', () => {
    const clock = fakeClock();
    const r = new RateLimiter(10, 3, 100, clock.now);
    expect([r.take('a'), r.take('a'), r.take('a'), r.take('a')]).toEqual([true, true, true, false]);
    clock.advance(100);
    expect(r.take('a')).toBe(true);
    expect(r.take('a')).toBe(false);
    for (let i = 0; i < 1000; i++) r.take(`k${i}`);
    expect(r.size).toBeLessThanOrEqual(100);
    clock.advance(10_000);
    r.sweep();
    expect(r.size).toBe(0);
  });
  it('token bucket: one second of burst, then the rate', () => {
    const clock = fakeClock();
    const b = new TokenBucket(8000, clock.now); // 1000 B/s
    expect(b.take(1000)).toBe(true);
    expect(b.take(1)).toBe(false);
    clock.advance(500);
    expect(b.take(500)).toBe(true);
    expect(b.take(1)).toBe(false);
    clock.advance(60_000);
    expect(b.take(1001)).toBe(false);
    expect(b.take(1000)).toBe(true);
  });
});
