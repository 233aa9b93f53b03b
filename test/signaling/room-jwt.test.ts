/**
 * Room tokens as JWTs (ROOM_JWT_SECRET, ROOM_JWT_PUBLIC_KEY; docs/tokens.md): valid HS256, RS256
 * and ES256 tokens, minted with jose and by hand with node:crypto (what any JWT library does),
 * every refusal with its message, the configuration checks, the mint example, and the HTTP routes
 * that hand out ICE servers on the same terms as a join.
 */
import { execFile } from 'node:child_process';
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { promisify } from 'node:util';
import { SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { io as connect } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { verifyRoomAccess } from '../../server/credentials/room-access.js';
import { mintRoomToken } from '../../server/credentials/room-token.js';
import { joinRequest, type JoinAck } from '../../server/protocol/index.js';
import { REPO_ROOT } from '../support/server.js';
import { type Client, join, next, request, startServer } from './harness.js';

const SECRET = 'jwt-secret-for-tests-0123456789abcdef';
const ROOM_SECRET = 'room-secret-for-tests-0123456789';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherEc = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }).toString();

const dir = mkdtempSync(joinPath(tmpdir(), 'sb-jwt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ecKeyFile = joinPath(dir, 'room-jwt-ec.pem');
writeFileSync(ecKeyFile, pem(ec.publicKey));

const now = () => Math.floor(Date.now() / 1000);
const hsKey = (s: string) => new TextEncoder().encode(s);

/** A token minted with jose: `claims` (an `exp` an hour ahead unless given), `header` beside `alg`. */
function mint(alg: 'HS256' | 'RS256' | 'ES256', key: KeyObject | Uint8Array, claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ exp: now() + 3600, ...claims }).setProtectedHeader({ ...header, alg }).sign(key);
}
const hs = (claims: JWTPayload, header: Record<string, unknown> = {}, secret = SECRET) => mint('HS256', hsKey(secret), claims, header);

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
/** HS256 as jsonwebtoken (or any library) builds it: base64url(header).base64url(payload).HMAC. */
function handBuiltHs256(payload: unknown, secret: string | Buffer, header: Record<string, unknown> = {}): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT', ...header })}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
/** ES256 by hand: the signature is r || s (IEEE P1363), not DER. */
function handBuiltEs256(payload: unknown, key: KeyObject): string {
  const input = `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

async function refusal(c: Client, room: string, token: string | undefined): Promise<string> {
  const res = await request<JoinAck>(c, 'join', { room, ...(token === undefined ? {} : { token }) });
  if (res.ok) throw new Error(`join with ${token} was accepted`);
  expect(res.error.code).toBe('unauthorized');
  return res.error.message;
}

describe('JWT room tokens: valid tokens', () => {
  it('HS256 (ROOM_JWT_SECRET): minted with jose or by hand; the `name` claim names the peer', async () => {
    const srv = await startServer({ ROOM_JWT_SECRET: SECRET });
    const a = await srv.client();
    const ja = await join(a, 'jwt-hs', { token: await hs({ room: 'jwt-hs' }), name: 'Ada' });
    expect(ja.room).toBe('jwt-hs');
    const b = await srv.client();
    const announced = next<{ id: string; name: string }>(a, 'peer-joined');
    // The name the backend put in the token wins over the one the client asked for.
    const jb = await join(b, 'jwt-hs', { token: handBuiltHs256({ room: 'jwt-hs', name: 'Bob (verified)', exp: now() + 60 }, SECRET), name: 'Mallory' });
    expect(jb.peers).toEqual([{ id: ja.peerId, name: 'Ada' }]);
    expect(await announced).toEqual({ id: jb.peerId, name: 'Bob (verified)', resumed: false });
  });

  it('ES256 (ROOM_JWT_PUBLIC_KEY as a file path): minted with jose or by hand', async () => {
    const srv = await startServer({ ROOM_JWT_PUBLIC_KEY: ecKeyFile });
    const a = await srv.client();
    expect((await join(a, 'jwt-es', { token: await mint('ES256', ec.privateKey, { room: 'jwt-es' }) })).room).toBe('jwt-es');
    const b = await srv.client();
    expect((await join(b, 'jwt-es', { token: handBuiltEs256({ room: 'jwt-es', exp: now() + 60 }, ec.privateKey) })).room).toBe('jwt-es');
  });

  it('RS256 (ROOM_JWT_PUBLIC_KEY as PEM text) verifies', async () => {
    const config = loadConfig({ ROOM_JWT_PUBLIC_KEY: pem(rsa.publicKey) });
    const token = await mint('RS256', rsa.privateKey, { room: 'jwt-rs', name: 'Ada' });
    expect(await verifyRoomAccess(config, 'jwt-rs', token)).toMatchObject({ ok: true, name: 'Ada', claims: { room: 'jwt-rs' } });
    expect(await verifyRoomAccess(config, 'jwt-rs', await mint('RS256', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, { room: 'jwt-rs' }))).toEqual({
      ok: false,
      reason: 'room token signature is invalid (another key signed it, or it was altered)',
    });
  });

  // An RS256 signature alone is 342 characters: the join schema's `token` takes up to 4096.
  it('RS256 at join, as an event and in the handshake', async () => {
    expect(joinRequest.safeParse({ room: 'r', token: 'a'.repeat(4096) }).success).toBe(true);
    const srv = await startServer({ ROOM_JWT_PUBLIC_KEY: pem(rsa.publicKey) });
    const token = await mint('RS256', rsa.privateKey, { room: 'jwt-rs' });
    expect((await join(await srv.client(), 'jwt-rs', { token })).room).toBe('jwt-rs');
    const s = connect(srv.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { join: { room: 'jwt-rs', token } } }) as Client;
    const ack = await next<JoinAck>(s, 'joined');
    s.disconnect();
    expect(ack.ok).toBe(true);
  });

  it('in the handshake (`auth.join`): granted and refused as the join event is', async () => {
    const srv = await startServer({ ROOM_JWT_SECRET: SECRET });
    const joined = async (token: string) => {
      const s = connect(srv.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { join: { room: 'jwt-hs', token } } }) as Client;
      const ack = await next<JoinAck>(s, 'joined');
      s.disconnect();
      return ack;
    };
    expect(await joined(await hs({ room: 'jwt-hs', name: 'Hana' }))).toMatchObject({ ok: true, room: 'jwt-hs' });
    expect(await joined(await hs({ room: 'elsewhere' }))).toEqual({ ok: false, error: { code: 'unauthorized', message: 'room token is not valid for this room' } });
  });

  it('with ROOM_SECRET too, both formats are accepted; iss, aud and kid as configured', async () => {
    const srv = await startServer({ ROOM_SECRET, ROOM_JWT_SECRET: SECRET, ROOM_JWT_ISSUER: 'https://app.example', ROOM_JWT_AUDIENCE: 'switchboard', ROOM_JWT_KID: 'k1,k2' });
    const c = await srv.client();
    expect((await join(c, 'both', { token: mintRoomToken(ROOM_SECRET, 'both', 60).token })).room).toBe('both');
    const good = { room: 'both', iss: 'https://app.example', aud: ['other', 'switchboard'] };
    expect((await join(c, 'both', { token: await hs(good, { kid: 'k2' }) })).room).toBe('both');
    expect((await join(c, 'both', { token: await hs(good) })).room).toBe('both'); // no kid: fine
    expect(await refusal(c, 'both', await hs({ ...good, iss: 'https://evil.example' }))).toBe('room token issuer ("iss") is not accepted here');
    expect(await refusal(c, 'both', await hs({ room: 'both', aud: 'switchboard' }))).toBe('room token issuer ("iss") is not accepted here');
    expect(await refusal(c, 'both', await hs({ ...good, aud: 'other' }))).toBe('room token audience ("aud") is not accepted here');
    expect(await refusal(c, 'both', await hs(good, { kid: 'k3' }))).toBe('room token asks for key "k3" (kid), which this server does not hold');
  });

  it('`exp` and `nbf` allow 5 s of clock skew', async () => {
    const config = loadConfig({ ROOM_JWT_SECRET: SECRET });
    const t = 2_000_000_000;
    const token = await hs({ room: 'r', nbf: t, exp: t + 60 });
    expect(await verifyRoomAccess(config, 'r', token, (t - 4) * 1000)).toMatchObject({ ok: true });
    expect(await verifyRoomAccess(config, 'r', token, (t - 6) * 1000)).toEqual({ ok: false, reason: 'room token is not valid yet (its "nbf" is in the future)' });
    expect(await verifyRoomAccess(config, 'r', token, (t + 64) * 1000)).toMatchObject({ ok: true });
    expect(await verifyRoomAccess(config, 'r', token, (t + 66) * 1000)).toEqual({ ok: false, reason: 'room token expired' });
  });
});

describe('JWT room tokens: refusals', () => {
  it('HS256 server: each refusal answers `unauthorized` with its reason', async () => {
    const srv = await startServer({ ROOM_JWT_SECRET: SECRET });
    const c = await srv.client();
    const r = 'vault';
    const cases: Array<[string, string | undefined, string]> = [
      ['no token', undefined, 'this room needs a token'],
      ['expired', await hs({ room: r, exp: now() - 60 }), 'room token expired'],
      ['not yet valid', await hs({ room: r, nbf: now() + 300 }), 'room token is not valid yet (its "nbf" is in the future)'],
      ['wrong room', await hs({ room: 'lobby' }), 'room token is not valid for this room'],
      ['wrong key', await hs({ room: r }, {}, 'another-secret-of-at-least-32-characters'), 'room token signature is invalid (another key signed it, or it was altered)'],
      ['altered', (await hs({ room: 'lobby' })).replace(/\.[^.]+\./, `.${b64({ room: r, exp: now() + 3600 })}.`), 'room token signature is invalid (another key signed it, or it was altered)'],
      ['alg none', new UnsecuredJWT({ room: r }).setExpirationTime('1h').encode(), 'room token is unsigned (alg "none"); refused'],
      ['alg None, signed', `${b64({ alg: 'None' })}.${b64({ room: r, exp: now() + 60 })}.c2ln`, 'room token is unsigned (alg "none"); refused'],
      ['alg not accepted', await mint('ES256', ec.privateKey, { room: r }), 'room token algorithm "ES256" is not accepted here (accepted: HS256)'],
      ['unknown kid', await hs({ room: r }, { kid: 'key-2024' }), 'room token asks for key "key-2024" (kid), which this server does not hold'],
      ['jku', await hs({ room: r }, { jku: 'https://evil.example/jwks.json' }), 'room token header "jku" asks for a key this server does not hold; refused'],
      ['jwk', await hs({ room: r }, { jwk: { kty: 'oct', k: b64(SECRET) } }), 'room token header "jwk" asks for a key this server does not hold; refused'],
      ['x5u', await hs({ room: r }, { x5u: 'https://evil.example/cert.pem' }), 'room token header "x5u" asks for a key this server does not hold; refused'],
      ['crit', handBuiltHs256({ room: r, exp: now() + 60 }, SECRET, { crit: ['exp'], exp: 1 }), 'room token header has "crit" extensions this server does not support'],
      ['no exp', await new SignJWT({ room: r }).setProtectedHeader({ alg: 'HS256' }).sign(hsKey(SECRET)), 'room token has no "exp" claim (an expiry is required)'],
      ['exp not a number', handBuiltHs256({ room: r, exp: 'tomorrow' }, SECRET), 'malformed room token: "exp" claim must be a number'],
      ['no room', await hs({ sub: 'ada' }), 'room token has no "room" claim'],
      ['bad name', await hs({ room: r, name: 'a\u0007b' }), 'room token "name" claim is not a valid name (name must not contain control characters)'],
      ['header not JSON', 'bm90LWpzb24.e30.c2ln', 'malformed room token: its header is not base64url-encoded JSON'],
      ['claims not an object', handBuiltHs256('[1,2]', SECRET), 'malformed room token: JWT Claims Set must be a top-level JSON object'],
      ['HMAC format', 'not-a-token', 'malformed room token: expected a JWT'],
    ];
    const got: Array<[string, string]> = [];
    for (const [what, token] of cases) got.push([what, await refusal(c, r, token)]);
    expect(got).toEqual(cases.map(([what, , message]) => [what, message]));
    // Refused joins leave the socket usable.
    expect((await join(c, r, { token: await hs({ room: r }) })).room).toBe(r);
  });

  it('public-key server: an HS256 token "signed" with the public key is refused (no algorithm confusion), as is another key', async () => {
    const srv = await startServer({ ROOM_JWT_PUBLIC_KEY: pem(ec.publicKey) });
    const c = await srv.client();
    const forged = handBuiltHs256({ room: 'pk', exp: now() + 60 }, pem(ec.publicKey));
    expect(await refusal(c, 'pk', forged)).toBe('room token algorithm "HS256" is not accepted here (accepted: ES256)');
    expect(await refusal(c, 'pk', await mint('ES256', otherEc.privateKey, { room: 'pk' }))).toBe('room token signature is invalid (another key signed it, or it was altered)');
    // (Cut to the join schema's 256 characters: the header alone decides.)
    expect(await refusal(c, 'pk', (await mint('RS256', rsa.privateKey, { room: 'pk' })).slice(0, 256))).toBe('room token algorithm "RS256" is not accepted here (accepted: ES256)');
  });

  it('only ROOM_SECRET: a JWT is refused as a format this server does not take', async () => {
    const srv = await startServer({ ROOM_SECRET });
    expect(await refusal(await srv.client(), 'x', await hs({ room: 'x' }))).toBe('this server does not accept JWT room tokens');
  });
});

describe('JWT room tokens: configuration', () => {
  const issues = (env: Record<string, string>): string[] => {
    try {
      loadConfig(env);
    } catch (e) {
      if (e instanceof ConfigError) return e.issues.map((i) => `${i.variable}: ${i.message}`);
      throw e;
    }
    return [];
  };

  it('fails at start naming the variable: short secret, unreadable or wrong key, options without a key', () => {
    const privateFile = joinPath(dir, 'private.pem');
    writeFileSync(privateFile, rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    expect(issues({ ROOM_JWT_SECRET: 'too-short' })).toEqual(['ROOM_JWT_SECRET: must be at least 32 characters']);
    expect(issues({ ROOM_JWT_PUBLIC_KEY: joinPath(dir, 'missing.pem') })).toEqual([`ROOM_JWT_PUBLIC_KEY: cannot read the key file ${JSON.stringify(joinPath(dir, 'missing.pem'))}: ENOENT`]);
    expect(issues({ ROOM_JWT_PUBLIC_KEY: privateFile })[0]).toMatch(/^ROOM_JWT_PUBLIC_KEY: is a private key: give the public key/);
    expect(issues({ ROOM_JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n' })).toEqual(['ROOM_JWT_PUBLIC_KEY: is not a PEM public key (SPKI, "-----BEGIN PUBLIC KEY-----")']);
    expect(issues({ ROOM_JWT_PUBLIC_KEY: pem(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey) })).toEqual(['ROOM_JWT_PUBLIC_KEY: is an RSA key of 1024 bits: RS256 needs 2048 or more']);
    expect(issues({ ROOM_JWT_PUBLIC_KEY: pem(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey) })).toEqual(['ROOM_JWT_PUBLIC_KEY: is an EC key on secp384r1: ES256 needs P-256 (prime256v1)']);
    expect(issues({ ROOM_JWT_PUBLIC_KEY: pem(generateKeyPairSync('ed25519').publicKey) })).toEqual(['ROOM_JWT_PUBLIC_KEY: is a ed25519 key: give an RSA (RS256) or P-256 EC (ES256) public key']);
    expect(issues({ ROOM_JWT_ISSUER: 'https://app.example', ROOM_JWT_KID: 'k1' })).toEqual([
      'ROOM_JWT_ISSUER: needs ROOM_JWT_SECRET or ROOM_JWT_PUBLIC_KEY (the key that verifies the tokens)',
      'ROOM_JWT_KID: needs ROOM_JWT_SECRET or ROOM_JWT_PUBLIC_KEY (the key that verifies the tokens)',
    ]);
  });

  it('builds `roomJwt` from the variables; unset without a key', () => {
    expect(loadConfig({}).roomJwt).toBeUndefined();
    expect(loadConfig({ ROOM_JWT_SECRET: SECRET, ROOM_JWT_PUBLIC_KEY: ecKeyFile, ROOM_JWT_ISSUER: 'i', ROOM_JWT_AUDIENCE: 'a', ROOM_JWT_KID: 'k1, k2' }).roomJwt).toEqual({
      secret: SECRET,
      publicKey: pem(ec.publicKey),
      issuer: 'i',
      audience: 'a',
      keyIds: ['k1', 'k2'],
    });
  });
});

describe('examples/mint-token.mjs', () => {
  it('mints a token a server with the same ROOM_JWT_SECRET lets in, named as asked', async () => {
    const srv = await startServer({ ROOM_JWT_SECRET: SECRET });
    const { stdout } = await promisify(execFile)(process.execPath, [joinPath(REPO_ROOT, 'examples/mint-token.mjs'), 'from-example', 'Ada'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ROOM_JWT_SECRET: SECRET },
    });
    const token = stdout.trim();
    const a = await srv.client();
    await join(a, 'from-example', { token: await hs({ room: 'from-example' }) });
    const announced = next<{ name: string }>(a, 'peer-joined');
    expect((await join(await srv.client(), 'from-example', { token })).room).toBe('from-example');
    expect((await announced).name).toBe('Ada');
    expect(await refusal(await srv.client(), 'elsewhere', token)).toBe('room token is not valid for this room');
  });
});

describe('ICE servers over HTTP with JWT room tokens', () => {
  const boot = async (res: Response) => {
    expect(res.status, 'the room page (web/dist/page.html: npm test builds it)').toBe(200);
    return /<script id="sb-boot" type="application\/json">(.*?)<\/script>/s.exec(await res.text())?.[1];
  };

  it('GET /api/ice-servers and the room page accept a JWT where they accept the HMAC token', async () => {
    const { url } = await startServer({ ROOM_JWT_SECRET: SECRET });
    expect((await fetch(`${url}/api/ice-servers`)).status).toBe(401);
    const token = await hs({ room: 'http-room' });
    const ok = await fetch(`${url}/api/ice-servers?room=http-room&token=${encodeURIComponent(token)}`);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { iceServers: unknown[] }).iceServers.length).toBeGreaterThan(0);
    const wrong = await fetch(`${url}/api/ice-servers?room=other&token=${encodeURIComponent(token)}`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: 'unauthorized', message: 'room token is not valid for this room' } });
    const expired = await fetch(`${url}/api/ice-servers?room=http-room&token=${encodeURIComponent(await hs({ room: 'http-room', exp: now() - 60 }))}`);
    expect(await expired.json()).toEqual({ error: { code: 'unauthorized', message: 'room token expired' } });
    expect(((await (await fetch(`${url}/api/config`)).json()) as { roomTokensRequired: boolean }).roomTokensRequired).toBe(true);
    // The page carries ICE servers (boot data) only with a valid token for its room.
    expect(await boot(await fetch(`${url}/r/http-room?t=${encodeURIComponent(token)}`))).toContain('iceServers');
    expect(await boot(await fetch(`${url}/r/other?t=${encodeURIComponent(token)}`))).toBeUndefined();
    expect(await boot(await fetch(`${url}/r/http-room`))).toBeUndefined();
    // No room without a token: the app's backend makes rooms (it mints the tokens).
    const made = await fetch(`${url}/api/rooms`, { method: 'POST' });
    expect(made.status).toBe(401);
    expect(((await made.json()) as { error: { message: string } }).error.message).toMatch(/made by the application that mints its JWT room tokens/);
  });

  it('with both ROOM_SECRET and ROOM_JWT_SECRET, either token gets ICE servers', async () => {
    const { url } = await startServer({ ROOM_SECRET, ROOM_JWT_SECRET: SECRET });
    const get = (token: string) => fetch(`${url}/api/ice-servers?room=both&token=${encodeURIComponent(token)}`);
    expect((await get(mintRoomToken(ROOM_SECRET, 'both', 60).token)).status).toBe(200);
    const jwt = await get(await hs({ room: 'both' }));
    expect(jwt.status).toBe(200);
  });
});
