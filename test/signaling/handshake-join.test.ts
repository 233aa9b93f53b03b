/**
 * A `join` carried in Socket.IO's connection handshake (`auth: { join }`): answered with the
 * `joined` event, through the same edge as the `join` event (schema, room tokens, capacity, resume).
 */
import { io as connect } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { mintRoomToken } from '../../server/credentials/room-token.js';
import type { JoinAck } from '../../server/protocol/index.js';
import { type Client, collect, connectClient, join, next, request, startServer } from './harness.js';

/** A client whose handshake carries `auth`; resolves with the socket and its first `joined`. */
async function handshakeJoin(url: string, auth: Record<string, unknown> | (() => Record<string, unknown>)) {
  const socket = connect(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: 5000,
    auth: typeof auth === 'function' ? (cb: (d: object) => void) => cb(auth()) : auth,
  }) as Client;
  const joined = next<JoinAck>(socket, 'joined');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, ack: await joined };
}

describe('join in the handshake', () => {
  it('answers with `joined` (the join ack), announces the newcomer, and signals flow', async () => {
    const srv = await startServer();
    const a = await srv.client();
    const ja = await join(a, 'hs', { name: 'Ada' });
    const announced = next<{ id: string; name: string; resumed: boolean }>(a, 'peer-joined');
    const { socket: b, ack } = await handshakeJoin(srv.url, { join: { room: 'hs', name: 'Bob' } });
    if (!ack.ok) throw new Error(`joined failed: ${ack.error.message}`);
    expect(ack.peers).toEqual([{ id: ja.peerId, name: 'Ada' }]);
    expect(ack.iceServers.length).toBeGreaterThan(0);
    expect(ack.room).toBe('hs');
    expect(await announced).toEqual({ id: ack.peerId, name: 'Bob', resumed: false });
    const got = next<{ from: string; data: unknown }>(a, 'signal');
    b.emit('signal', { to: ja.peerId, data: { renegotiate: true } });
    expect(await got).toEqual({ from: ack.peerId, data: { renegotiate: true } });
    b.disconnect();
  });

  it('a `join` after the handshake join (the client\'s fallback when `joined` is late) is a repeat: announced once', async () => {
    const srv = await startServer();
    const a = await srv.client();
    const ja = await join(a, 'fb', { name: 'Ada' });
    const announced = next<{ id: string }>(a, 'peer-joined');
    const { socket: b, ack } = await handshakeJoin(srv.url, { join: { room: 'fb', name: 'Bob' } });
    if (!ack.ok) throw new Error(`joined failed: ${ack.error.message}`);
    expect((await announced).id).toBe(ack.peerId);
    const following = next<{ id: string }>(a, 'peer-joined');
    const again = await join(b, 'fb', { name: 'Bob' });
    expect(again).toMatchObject({ ok: true, peerId: ack.peerId, room: 'fb', peers: [{ id: ja.peerId, name: 'Ada' }] });
    // A later newcomer is announced after anything the repeat could have sent: it must come next.
    const c = await srv.client();
    const jc = await join(c, 'fb');
    expect((await following).id).toBe(jc.peerId);
    b.disconnect();
  });

  it('a bad request gets a `bad-request` answer and the socket stays usable', async () => {
    const srv = await startServer();
    for (const bad of [{ room: '../etc' }, 'lobby', { room: 'ok', extra: 1 }, null]) {
      const { socket, ack } = await handshakeJoin(srv.url, { join: bad });
      expect(ack.ok).toBe(false);
      if (!ack.ok) expect(ack.error.code).toBe('bad-request');
      expect((await join(socket, 'after-bad')).peerId).toBeTruthy();
      socket.disconnect();
    }
  });

  it('room tokens and capacity apply as they do to the join event', async () => {
    const secret = 'room-secret-for-tests-0123456789';
    const srv = await startServer({ ROOM_SECRET: secret, ROOM_CAPACITY: '2' });
    const denied = await handshakeJoin(srv.url, { join: { room: 'vip' } });
    expect(denied.ack.ok ? 'ok' : denied.ack.error.code).toBe('unauthorized');
    const { token } = mintRoomToken(secret, 'vip', 60);
    const one = await handshakeJoin(srv.url, { join: { room: 'vip', token } });
    const two = await handshakeJoin(srv.url, { join: { room: 'vip', token } });
    const three = await handshakeJoin(srv.url, { join: { room: 'vip', token } });
    expect([one.ack.ok, two.ack.ok]).toEqual([true, true]);
    expect(three.ack.ok ? 'ok' : three.ack.error.code).toBe('room-full');
    for (const s of [denied, one, two, three]) s.socket.disconnect();
  });

  it('every reconnect sends the current request: a resume keeps the peer id', async () => {
    const srv = await startServer({ RESUME_GRACE_MS: '5000' });
    const a = await srv.client();
    await join(a, 'again');
    let req: Record<string, unknown> = { room: 'again', name: 'Bea' };
    const seen = next(a, 'peer-joined');
    const first = await handshakeJoin(srv.url, () => ({ join: req }));
    if (!first.ack.ok) throw new Error(first.ack.error.message);
    await seen;
    req = { room: 'again', name: 'Bea', resume: { peerId: first.ack.peerId, key: first.ack.resumeKey } };
    const back = next<{ id: string; resumed: boolean }>(a, 'peer-joined');
    // Drop the transport (no goodbye) and reconnect the same client: the auth function runs again.
    const rejoined = next<JoinAck>(first.socket, 'joined');
    (first.socket.io as unknown as { engine: { close(): void } }).engine.close();
    first.socket.connect();
    const ack = await rejoined;
    expect(ack.ok && ack.peerId).toBe(first.ack.peerId);
    expect(ack.ok && ack.resumed).toBe(true);
    expect(await back).toEqual({ id: first.ack.peerId, name: 'Bea', resumed: true });
    first.socket.disconnect();
  });

  it('a handshake without `join` gets no `joined`', async () => {
    const srv = await startServer();
    const s = await connectClient(srv.url, { auth: { other: 1 } });
    const joined = collect(s, 'joined');
    await join(s, 'plain');
    expect(await request(s, 'leave', {})).toEqual({ ok: true });
    expect(joined).toEqual([]);
  });
});
