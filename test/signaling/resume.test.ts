import { describe, expect, it } from 'vitest';
import type { Client } from './harness.js';
import { collect, join, next, request, startServer, until } from './harness.js';

/** Drops the transport without a goodbye, as a network blip or a killed tab would. */
function dropTransport(c: Client): void {
  (c.io as unknown as { engine: { close(): void } }).engine.close();
}

describe('resume: a peer keeps its id across a reconnect', () => {
  it('a dropped peer stays in the room for the grace period and resumes unseen', async () => {
    const srv = await startServer({ RESUME_GRACE_MS: '2000' });
    const [a, b] = await Promise.all([srv.client(), srv.client()]);
    const ja = await join(a, 'blip', { name: 'Ada' });
    await join(b, 'blip');
    const left = collect(b, 'peer-left');
    dropTransport(a);
    const back = next<{ id: string; resumed: boolean }>(b, 'peer-joined');
    const a2 = await srv.client();
    const again = await join(a2, 'blip', { name: 'Ada', resume: { peerId: ja.peerId, key: ja.resumeKey } });
    expect(again.peerId).toBe(ja.peerId);
    expect(again.resumed).toBe(true);
    expect(again.peers).toHaveLength(1);
    expect(await back).toEqual({ id: ja.peerId, name: 'Ada', resumed: true });
    // Signals reach the resumed socket.
    const sig = next(a2, 'signal');
    await request(b, 'signal', { to: ja.peerId, data: { renegotiate: true } });
    await sig;
    expect(left).toEqual([]);
    expect((await srv.app.io.in('room:blip').fetchSockets()).length).toBe(2);
  });

  it('without a resume the peer is announced as left after RESUME_GRACE_MS', async () => {
    const srv = await startServer({ RESUME_GRACE_MS: '300' });
    const [a, b] = await Promise.all([srv.client(), srv.client()]);
    const ja = await join(a, 'gone');
    await join(b, 'gone');
    const t0 = Date.now();
    const left = next<{ id: string }>(b, 'peer-left', 3000);
    dropTransport(a);
    expect((await left).id).toBe(ja.peerId);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });

  it('a resume while the old socket is still connected takes it over', async () => {
    const srv = await startServer();
    const [a, b] = await Promise.all([srv.client(), srv.client()]);
    const ja = await join(a, 'twice');
    const jb = await join(b, 'twice');
    const kicked = next<string>(a, 'disconnect');
    const a2 = await srv.client();
    await join(a2, 'twice', { resume: { peerId: ja.peerId, key: ja.resumeKey } });
    expect(await kicked).toBe('io server disconnect');
    const c = await srv.client();
    const jc = await join(c, 'twice');
    // One entry per peer: the takeover did not duplicate a's id.
    expect(jc.peers.map((p) => p.id).sort()).toEqual([ja.peerId, jb.peerId].sort());
  });

  it('a wrong resume key is unauthorized', async () => {
    const srv = await startServer();
    const [a, b] = await Promise.all([srv.client(), srv.client()]);
    const ja = await join(a, 'k');
    const res = await request(b, 'join', { room: 'k', resume: { peerId: ja.peerId, key: 'x'.repeat(43) } });
    expect(res).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('after a server restart with the same SESSION_SECRET, peers resume under the same ids', async () => {
    const env = { SESSION_SECRET: 'session-secret-0123456789abcdef' };
    const first = await startServer(env);
    const a = await first.client();
    const ja = await join(a, 'restart');
    await first.app.stop();
    const second = await startServer(env);
    const a2 = await second.client();
    const again = await join(a2, 'restart', { resume: { peerId: ja.peerId, key: ja.resumeKey } });
    expect(again.peerId).toBe(ja.peerId);
    expect(again.resumeKey).toBe(ja.resumeKey);
  });
  it('a socket that left its room and then disconnected leaves no live peer behind', async () => {
    // Found by the churn soak: after `leave` the socket keeps its peer id (for its next join), and
    // its disconnect did not unbind it, so /api/stats counted it live and the server held it.
    const srv = await startServer();
    const livePeers = async () => ((await (await fetch(`${srv.url}/api/stats`)).json()) as { signaling: { livePeers: number } }).signaling.livePeers;
    const a = await srv.client();
    await join(a, 'gone-for-good');
    expect(await livePeers()).toBe(1);
    await request(a, 'leave', {});
    a.disconnect();
    await until(async () => (await livePeers()) === 0, 'livePeers back to 0');
  });
});
