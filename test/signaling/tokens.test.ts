import { describe, expect, it } from 'vitest';
import { mintRoomToken, verifyRoomToken } from '../../server/credentials/room-token.js';
import type { JoinAck } from '../../server/protocol/index.js';
import { join, request, startServer } from './harness.js';

const ROOM_SECRET = 'room-secret-for-tests-0123456789';

describe('room access tokens (ROOM_SECRET)', () => {
  it('POST /api/rooms mints a token for a new random room; join needs it', async () => {
    const srv = await startServer({ ROOM_SECRET });
    const res = await fetch(`${srv.url}/api/rooms`, { method: 'POST' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { room: string; token: string; expiresAt: number; url: string };
    expect(body.room).toMatch(/^[A-Za-z0-9_-]{10}$/);
    expect(body.url).toBe(`/r/${body.room}?t=${encodeURIComponent(body.token)}`);
    expect(body.expiresAt).toBeGreaterThan(Date.now() / 1000 + 86000);

    const a = await srv.client();
    const none = await request<JoinAck>(a, 'join', { room: body.room });
    expect(none).toMatchObject({ ok: false, error: { code: 'unauthorized', message: 'this room needs a token' } });
    const other = await request<JoinAck>(a, 'join', { room: 'another-room', token: body.token });
    expect(other).toMatchObject({ ok: false, error: { code: 'unauthorized', message: 'room token is not valid for this room' } });
    const junk = await request<JoinAck>(a, 'join', { room: body.room, token: 'not-a-token' });
    expect(junk).toMatchObject({ ok: false, error: { code: 'unauthorized', message: 'malformed room token' } });
    expect((await join(a, body.room, { token: body.token })).room).toBe(body.room);
  });

  it('expired tokens are refused; tokens verify only with the same secret', () => {
    const now = Date.UTC(2030, 0, 1);
    const { token, expiresAt } = mintRoomToken(ROOM_SECRET, 'r', 60, now);
    expect(expiresAt).toBe(now / 1000 + 60);
    expect(verifyRoomToken(ROOM_SECRET, 'r', token, now + 59_000)).toEqual({ ok: true });
    expect(verifyRoomToken(ROOM_SECRET, 'r', token, now + 60_000)).toEqual({ ok: false, reason: 'room token expired' });
    expect(verifyRoomToken('another-secret-0123456789', 'r', token, now)).toMatchObject({ ok: false });
    // Tampering with the expiry breaks the MAC.
    const [, mac] = token.split('.');
    expect(verifyRoomToken(ROOM_SECRET, 'r', `${expiresAt + 1000}.${mac}`, now)).toMatchObject({ ok: false, reason: 'room token is not valid for this room' });
  });

  it('an expired token is refused at join', async () => {
    const srv = await startServer({ ROOM_SECRET });
    const { token } = mintRoomToken(ROOM_SECRET, 'old', 60, Date.now() - 120_000);
    const a = await srv.client();
    expect(await request(a, 'join', { room: 'old', token })).toMatchObject({ ok: false, error: { code: 'unauthorized', message: 'room token expired' } });
  });

  it('GET /api/ice-servers needs a valid room token when ROOM_SECRET is set', async () => {
    const srv = await startServer({ ROOM_SECRET });
    const denied = await fetch(`${srv.url}/api/ice-servers`);
    expect(denied.status).toBe(401);
    expect(await denied.json()).toEqual({ error: { code: 'unauthorized', message: 'room and token are required' } });
    const { token } = mintRoomToken(ROOM_SECRET, 'ok-room', 600);
    const ok = await fetch(`${srv.url}/api/ice-servers?room=ok-room&token=${encodeURIComponent(token)}`);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { iceServers: unknown[] }).iceServers.length).toBeGreaterThan(0);
  });

  it('without ROOM_SECRET, rooms are open and POST /api/rooms returns no token', async () => {
    const srv = await startServer();
    const body = (await (await fetch(`${srv.url}/api/rooms`, { method: 'POST' })).json()) as { token: null; url: string; room: string };
    expect(body.token).toBeNull();
    expect(body.url).toBe(`/r/${body.room}`);
    const cfg = (await (await fetch(`${srv.url}/api/config`)).json()) as { roomTokensRequired: boolean };
    expect(cfg.roomTokensRequired).toBe(false);
  });
});
