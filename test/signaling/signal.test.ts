import { describe, expect, it } from 'vitest';
import { collect, join, next, request, startServer } from './harness.js';

const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } as const;
const candidate = { type: 'candidate' as const, candidate: { candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 } };

describe('signal relay', () => {
  it('delivers offer, answer and candidates between two peers of a room, in order', async () => {
    const srv = await startServer();
    const [a, b] = await Promise.all([srv.client(), srv.client()]);
    const ja = await join(a, 'call');
    const jb = await join(b, 'call');
    const got = collect<{ from: string; data: unknown }>(a, 'signal');
    const first = next(b, 'signal');
    expect(await request(a, 'signal', { to: jb.peerId, data: offer })).toEqual({ ok: true });
    expect(await first).toEqual({ from: ja.peerId, data: offer });
    for (let i = 0; i < 20; i++) b.emit('signal', { to: ja.peerId, data: { ...candidate, candidate: { ...candidate.candidate, sdpMLineIndex: i } } });
    const answer = { type: 'answer', sdp: 'v=0\r\n' } as const;
    await request(b, 'signal', { to: ja.peerId, data: answer });
    await new Promise<void>((resolve) => {
      const check = () => (got.length === 21 ? resolve() : setTimeout(check, 5));
      check();
    });
    expect(got.slice(0, 20).map((m) => (m.data as typeof candidate).candidate.sdpMLineIndex)).toEqual([...Array(20).keys()]);
    expect(got[20]).toEqual({ from: jb.peerId, data: answer });
  });

  it('carries renegotiation messages', async () => {
    const srv = await startServer();
    const [a, b] = await Promise.all([srv.client(), srv.client()]);
    await join(a, 'reneg');
    const jb = await join(b, 'reneg');
    // Both the bare form and simple-peer's (which adds a `type`).
    for (const data of [
      { renegotiate: true },
      { type: 'renegotiate', renegotiate: true },
      { transceiverRequest: { kind: 'video', init: { direction: 'sendrecv' } } },
      { type: 'transceiverRequest', transceiverRequest: { kind: 'audio' } },
    ] as const) {
      const got = next<{ data: unknown }>(b, 'signal');
      expect(await request(a, 'signal', { to: jb.peerId, data })).toEqual({ ok: true });
      expect((await got).data).toEqual(data);
    }
  });

  it('does not relay across rooms or to unknown peers', async () => {
    const srv = await startServer();
    const [a, b, c] = await Promise.all([srv.client(), srv.client(), srv.client()]);
    const ja = await join(a, 'x');
    const jb = await join(b, 'y');
    const got = collect(b, 'signal');
    const cross = await request(a, 'signal', { to: jb.peerId, data: offer });
    expect(cross).toEqual({ ok: false, error: { code: 'unknown-peer', message: expect.any(String) } });
    const nobody = await request(a, 'signal', { to: 'nobody-at-all', data: offer });
    expect(nobody).toMatchObject({ ok: false, error: { code: 'unknown-peer' } });
    const self = await request(a, 'signal', { to: ja.peerId, data: offer });
    expect(self).toMatchObject({ ok: false, error: { code: 'unknown-peer' } });
    // A signal b does receive afterwards proves nothing from a was merely late.
    const jc = await join(c, 'y');
    const arrived = next(b, 'signal');
    await request(c, 'signal', { to: jb.peerId, data: offer });
    expect(await arrived).toEqual({ from: jc.peerId, data: offer });
    expect(got).toHaveLength(1);
  });

  it('needs a room: not-in-room', async () => {
    const srv = await startServer();
    const a = await srv.client();
    expect(await request(a, 'signal', { to: 'abcdefgh', data: offer })).toMatchObject({ ok: false, error: { code: 'not-in-room' } });
    expect(await request(a, 'leave')).toMatchObject({ ok: false, error: { code: 'not-in-room' } });
    expect(await request(a, 'ice-servers', {})).toMatchObject({ ok: false, error: { code: 'not-in-room' } });
  });

  it('bounds signal size: too-large above SIGNAL_MAX_BYTES, accepted just below', async () => {
    const srv = await startServer({ SIGNAL_MAX_BYTES: '4096' });
    const [a, b] = await Promise.all([srv.client(), srv.client()]);
    await join(a, 'big');
    const jb = await join(b, 'big');
    const big = await request(a, 'signal', { to: jb.peerId, data: { type: 'offer', sdp: 'x'.repeat(5000) } });
    expect(big).toMatchObject({ ok: false, error: { code: 'too-large', message: expect.stringContaining('4096') } });
    const fits = await request(a, 'signal', { to: jb.peerId, data: { type: 'offer', sdp: 'x'.repeat(4000) } });
    expect(fits).toEqual({ ok: true });
  });

  it('rejects data that is not a WebRTC signal', async () => {
    const srv = await startServer();
    const [a, b] = await Promise.all([srv.client(), srv.client()]);
    await join(a, 'v');
    const jb = await join(b, 'v');
    for (const data of [null, 'hello', 42, [], { type: 'offer', sdp: 1 }, { type: 'evil' }, { type: 'offer', sdp: '', extra: 1 }, { candidate: {} }, { type: 'candidate', renegotiate: true }, { type: 'renegotiate', renegotiate: false }, { type: 'offer' }, { type: 'answer' }, { type: 'pranswer' }, { type: 'rollback', sdp: 1 }]) {
      const res = await request(a, 'signal', { to: jb.peerId, data });
      expect(res, JSON.stringify(data)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
  });

  it('null means absent for every optional field: in a join it is read as absent, in signal data forwarded as sent', async () => {
    const srv = await startServer();
    const [a, b] = await Promise.all([srv.client(), srv.client()]);
    const ja = await join(a, 'nulls', { name: null, token: null, resume: null });
    const jb = await join(b, 'nulls', { name: 'Bo' });
    expect(jb.peers).toContainEqual({ id: ja.peerId, name: '' });
    for (const data of [
      { type: 'candidate', candidate: { candidate: '', sdpMid: null, sdpMLineIndex: null, usernameFragment: null } },
      { type: 'rollback', sdp: null },
      { type: null, renegotiate: true },
      { transceiverRequest: { kind: 'video', init: null } },
    ]) {
      const got = next(b, 'signal');
      expect(await request(a, 'signal', { to: jb.peerId, data }), JSON.stringify(data)).toEqual({ ok: true });
      expect(((await got) as { data: unknown }).data).toEqual(data);
    }
  });

  it('a rollback may go without its SDP; an offer, answer or pranswer may not', async () => {
    const srv = await startServer();
    const [a, b] = await Promise.all([srv.client(), srv.client()]);
    await join(a, 'rb');
    const jb = await join(b, 'rb');
    const got = next(b, 'signal');
    expect(await request(a, 'signal', { to: jb.peerId, data: { type: 'rollback' } })).toEqual({ ok: true });
    expect(((await got) as { data: unknown }).data).toEqual({ type: 'rollback' });
    const res = await request(a, 'signal', { to: jb.peerId, data: { type: 'offer' } });
    expect(res).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/sdp/) } });
  });

  it('a signal without an ack that fails comes back as protocol-error', async () => {
    const srv = await startServer();
    const a = await srv.client();
    const err = next(a, 'protocol-error');
    a.emit('signal', { to: 'abcdefgh', data: offer });
    expect(await err).toEqual({ event: 'signal', code: 'not-in-room', message: expect.any(String) });
  });
});
