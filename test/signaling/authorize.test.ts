/**
 * The authorize hook (`createApp(config, { authorize })`, server/credentials/authorize.ts): it
 * sees each join with a read-only copy of the handshake, after the payload and the room token were
 * checked, and allows, refuses with its reason, or renames. A hook that throws, answers nonsense or
 * hangs past AUTHORIZE_TIMEOUT_MS refuses the join (`internal`, `unavailable`) and harms nothing
 * else: the socket and the server go on.
 */
import { join as joinPath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SignJWT } from 'jose';
import { io as connect } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { AuthorizeHook, AuthorizeRequest } from '../../server/credentials/authorize.js';
import { mintRoomToken } from '../../server/credentials/room-token.js';
import type { JoinAck } from '../../server/protocol/index.js';
import { REPO_ROOT } from '../support/server.js';
import { type Client, collect, join, next, request, startServer } from './harness.js';

/** A hook that records what it was asked and answers with `answer`. */
function recording(answer: (req: AuthorizeRequest) => ReturnType<AuthorizeHook>) {
  const seen: AuthorizeRequest[] = [];
  const hook: AuthorizeHook = (req) => {
    seen.push(req);
    return answer(req);
  };
  return { hook, seen };
}

describe('the authorize hook', () => {
  it('allows: sees the room, name, token and a frozen copy of the handshake (headers, address, auth, query)', async () => {
    const { hook, seen } = recording(() => true);
    const srv = await startServer({}, { authorize: hook });
    const c = await srv.client({ extraHeaders: { cookie: 'session=abc123', 'x-app-user': 'ada' }, auth: { session: 's-1' }, query: { app: 'demo' } });
    const ja = await join(c, 'hooked', { name: '  Ada  ' });
    expect(ja.room).toBe('hooked');
    expect(seen).toHaveLength(1);
    const req = seen[0]!;
    expect(req).toMatchObject({ room: 'hooked', name: 'Ada', token: undefined, claims: undefined, resume: false });
    expect(req.handshake.headers.cookie).toBe('session=abc123');
    expect(req.handshake.headers['x-app-user']).toBe('ada');
    expect(req.handshake.address).toMatch(/127\.0\.0\.1$/);
    expect(req.handshake.auth).toEqual({ session: 's-1' });
    expect(req.handshake.query.app).toBe('demo');
    expect(Object.isFrozen(req) && Object.isFrozen(req.handshake) && Object.isFrozen(req.handshake.headers) && Object.isFrozen(req.handshake.auth)).toBe(true);
    expect(() => ((req.handshake.headers as Record<string, string>).cookie = 'x')).toThrow(TypeError);
  });

  it('denies with a reason: the client gets `unauthorized` and the reason; the room never sees the peer', async () => {
    const { hook } = recording((req) => (req.handshake.headers.cookie?.includes('session=ok') ? true : { deny: 'sign in to join this room' }));
    const srv = await startServer({}, { authorize: hook });
    const a = await srv.client({ extraHeaders: { cookie: 'session=ok' } });
    await join(a, 'members');
    const arrivals = collect(a, 'peer-joined');
    const b = await srv.client();
    expect(await request(b, 'join', { room: 'members', name: 'Eve' })).toEqual({ ok: false, error: { code: 'unauthorized', message: 'sign in to join this room' } });
    expect(await srv.app.io.in('room:members').fetchSockets()).toHaveLength(1);
    // The socket stays usable (and still refused).
    expect(await request(b, 'ice-servers', {})).toMatchObject({ ok: false, error: { code: 'not-in-room' } });
    await request(a, 'leave', {});
    expect(arrivals).toEqual([]);
  });

  it('renames: `{ name }` is the name the room sees; an invalid name refuses the join as a server error', async () => {
    let answer: Awaited<ReturnType<AuthorizeHook>> = { name: '  Ada Lovelace  ' };
    const srv = await startServer({}, { authorize: () => answer });
    const a = await srv.client();
    const ja = await join(a, 'named', { name: 'anon' });
    const b = await srv.client();
    answer = { name: 'Bob' };
    const announced = next<{ id: string; name: string }>(a, 'peer-joined');
    const jb = await join(b, 'named', { name: 'whoever' });
    expect(jb.peers).toEqual([{ id: ja.peerId, name: 'Ada Lovelace' }]);
    expect(await announced).toMatchObject({ id: jb.peerId, name: 'Bob' });
    for (const bad of [{ name: 'x'.repeat(65) }, { name: 'a\nb' }, { name: 7 }]) {
      answer = bad as never;
      expect(await request(await srv.client(), 'join', { room: 'named' })).toEqual({ ok: false, error: { code: 'internal', message: 'the authorization check failed (server error)' } });
    }
  });

  it('a hook that throws, rejects or answers nonsense: `internal`, and the server goes on', async () => {
    let mode = '';
    const srv = await startServer({}, {
      authorize: (): ReturnType<AuthorizeHook> => {
        if (mode === 'throws') throw new Error('session store is down');
        if (mode === 'rejects') return Promise.reject(new Error('session store is down'));
        if (mode === 'async throw') return (async () => { throw new Error('bug'); })();
        if (mode === 'undefined') return undefined as never;
        if (mode === 'false') return false as never;
        if (mode === 'deny without a string') return { deny: 42 } as never;
        if (mode === 'deny and name') return { deny: 'no', name: 'Ada' } as never;
        return true;
      },
    });
    const c = await srv.client();
    for (mode of ['throws', 'rejects', 'async throw', 'undefined', 'false', 'deny without a string', 'deny and name']) {
      expect(await request(c, 'join', { room: 'r' }), mode).toEqual({ ok: false, error: { code: 'internal', message: 'the authorization check failed (server error)' } });
    }
    mode = 'allow';
    expect((await join(c, 'r')).room).toBe('r');
    expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
  });

  it('a hook that hangs: `unavailable` after AUTHORIZE_TIMEOUT_MS; other clients, the socket and the server go on', async () => {
    const srv = await startServer({ AUTHORIZE_TIMEOUT_MS: '1000' }, { authorize: (req) => (req.name === 'stuck' ? new Promise<never>(() => {}) : true) });
    const c = await srv.client();
    const started = Date.now();
    let settled = false;
    const pending = request<JoinAck>(c, 'join', { room: 'slow', name: 'stuck' }).finally(() => (settled = true));
    // Another client is not held up by the first one's hanging check.
    expect((await join(await srv.client(), 'slow')).room).toBe('slow');
    expect(settled).toBe(false);
    expect(await pending).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'the authorization check did not answer within 1000 ms; retry later' },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(Date.now() - started).toBeLessThan(4000);
    expect((await join(c, 'slow', { name: 'unstuck' })).room).toBe('slow');
  });

  it('applies to a join in the handshake (`joined`) and to resumes (with `resume: true`)', async () => {
    const { hook, seen } = recording((req) => (req.handshake.auth.session === 'valid' ? true : { deny: 'no session' }));
    const srv = await startServer({ RESUME_GRACE_MS: '5000' }, { authorize: hook });
    const handshake = async (auth: Record<string, unknown>) => {
      const s = connect(srv.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth }) as Client;
      const ack = await next<JoinAck>(s, 'joined');
      return { s, ack };
    };
    const denied = await handshake({ join: { room: 'hs' } });
    expect(denied.ack).toEqual({ ok: false, error: { code: 'unauthorized', message: 'no session' } });
    denied.s.disconnect();
    const first = await handshake({ session: 'valid', join: { room: 'hs', name: 'Ada' } });
    if (!first.ack.ok) throw new Error(first.ack.error.message);
    first.s.disconnect();
    const resume = { peerId: first.ack.peerId, key: first.ack.resumeKey };
    expect((await handshake({ join: { room: 'hs', resume } })).ack).toEqual({ ok: false, error: { code: 'unauthorized', message: 'no session' } });
    const back = await handshake({ session: 'valid', join: { room: 'hs', resume } });
    expect(back.ack).toMatchObject({ ok: true, peerId: first.ack.peerId, resumed: true });
    back.s.disconnect();
    expect(seen.map((r) => [r.handshake.auth.session ?? null, r.resume])).toEqual([
      [null, false],
      ['valid', false],
      [null, true],
      ['valid', true],
    ]);
  });

  it('runs after the room token: a bad token never reaches it; a JWT\'s claims and `name` do', async () => {
    const secret = 'jwt-secret-for-tests-0123456789abcdef';
    const roomSecret = 'room-secret-for-tests-0123456789';
    const { hook, seen } = recording((req) => (req.claims?.sub === 'user-1' ? true : { deny: `not for ${req.name || 'you'}` }));
    const srv = await startServer({ ROOM_SECRET: roomSecret, ROOM_JWT_SECRET: secret }, { authorize: hook });
    const c = await srv.client();
    expect(await request(c, 'join', { room: 'vip', token: 'forged.token.x' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await request(c, 'join', { room: 'vip' })).toMatchObject({ ok: false, error: { code: 'unauthorized', message: 'this room needs a token' } });
    expect(seen).toHaveLength(0);
    const jwt = (sub: string) => new SignJWT({ room: 'vip', name: 'Ada', sub }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1m').sign(new TextEncoder().encode(secret));
    const token = await jwt('user-1');
    expect((await join(c, 'vip', { token, name: 'ignored' })).room).toBe('vip');
    expect(seen[0]).toMatchObject({ room: 'vip', name: 'Ada', token, claims: { room: 'vip', name: 'Ada', sub: 'user-1' } });
    expect(await request(await srv.client(), 'join', { room: 'vip', token: await jwt('user-2') })).toEqual({ ok: false, error: { code: 'unauthorized', message: 'not for Ada' } });
    // An HMAC token carries no claims.
    expect(await request(await srv.client(), 'join', { room: 'vip', token: mintRoomToken(roomSecret, 'vip', 60).token, name: 'Bo' })).toEqual({ ok: false, error: { code: 'unauthorized', message: 'not for Bo' } });
    expect(seen.at(-1)?.claims).toBeUndefined();
  });
});

describe('examples/authorize-hook.mjs', () => {
  it('lets a signed-in user into the rooms of their session, under its name; refuses the rest', async () => {
    const { authorizeFrom } = (await import(pathToFileURL(joinPath(REPO_ROOT, 'examples/authorize-hook.mjs')).href)) as { authorizeFrom(sessions: { get(id: string): unknown }): AuthorizeHook };
    const sessions = new Map([['s3cr3t', { name: 'Ada Lovelace', rooms: ['engine'] }]]);
    const srv = await startServer({}, { authorize: authorizeFrom(sessions) });
    const ada = await srv.client({ extraHeaders: { cookie: 'theme=dark; sid=s3cr3t' } });
    const ja = await join(ada, 'engine', { name: 'whoever' });
    const other = await srv.client({ extraHeaders: { cookie: 'sid=s3cr3t' } });
    expect((await join(other, 'engine')).peers).toEqual([{ id: ja.peerId, name: 'Ada Lovelace' }]);
    expect(await request(ada, 'join', { room: 'lounge' })).toEqual({ ok: false, error: { code: 'unauthorized', message: 'you are not invited to lounge' } });
    expect(await request(await srv.client(), 'join', { room: 'engine' })).toEqual({ ok: false, error: { code: 'unauthorized', message: 'sign in to join' } });
    expect(await request(await srv.client({ extraHeaders: { cookie: 'sid=forged' } }), 'join', { room: 'engine' })).toEqual({ ok: false, error: { code: 'unauthorized', message: 'sign in to join' } });
  });
});
