import { describe, expect, it } from 'vitest';
import { connectClient, join, next, request, startServer } from './harness.js';

describe('limits', () => {
  it('rate limit: a token bucket per socket answers rate-limited, then recovers', async () => {
    const srv = await startServer({ RATE_LIMIT_BURST: '10', RATE_LIMIT_PER_SECOND: '20' });
    const [a, b] = await Promise.all([srv.client(), srv.client()]);
    await join(a, 'rl');
    const jb = await join(b, 'rl');
    const results = await Promise.all(
      Array.from({ length: 30 }, () => request<{ ok: boolean; error?: { code: string } }>(a, 'signal', { to: jb.peerId, data: { renegotiate: true } })),
    );
    const limited = results.filter((r) => !r.ok);
    // 1 token went to join; 9 signals fit the burst, the rest are refused (refill during the burst may add one or two).
    expect(results.filter((r) => r.ok).length).toBeGreaterThanOrEqual(9);
    expect(limited.length).toBeGreaterThanOrEqual(15);
    expect(limited.every((r) => r.error?.code === 'rate-limited')).toBe(true);
    // Another socket is not affected.
    expect(await request(b, 'ice-servers', {})).toMatchObject({ ok: true });
    // Refill: 20 tokens/s -> after ~100 ms there is at least one.
    const t0 = Date.now();
    let r: { ok: boolean } = { ok: false };
    while (!r.ok && Date.now() - t0 < 2000) r = await request(a, 'signal', { to: jb.peerId, data: { renegotiate: true } });
    expect(r.ok).toBe(true);
  });

  it('connection limit per IP refuses the extra connection with rate-limited', async () => {
    const srv = await startServer({ MAX_CONNECTIONS_PER_IP: '2' });
    const a = await srv.client();
    await srv.client();
    const err = await connectClient(srv.url).then(
      () => undefined,
      (e: Error & { data?: unknown }) => e,
    );
    expect(err?.message).toBe('rate-limited');
    expect(err?.data).toEqual({ code: 'rate-limited', message: 'too many connections from this address' });
    a.disconnect();
    // The slot is released on disconnect.
    const start = Date.now();
    let ok = false;
    while (!ok && Date.now() - start < 3000) {
      ok = await connectClient(srv.url).then(() => true, () => false);
    }
    expect(ok).toBe(true);
  });

  it('maxHttpBufferSize: a frame beyond it closes that connection only; the server keeps serving', async () => {
    const srv = await startServer({ SIGNAL_MAX_BYTES: '4096' });
    expect(srv.config.maxHttpBufferSize).toBe(16 * 1024);
    const [a, b] = await Promise.all([srv.client(), srv.client()]);
    await join(a, 'buf');
    const jb = await join(b, 'buf');
    const gone = next<string>(a, 'disconnect');
    a.emit('signal', { to: jb.peerId, data: { type: 'offer', sdp: 'x'.repeat(64 * 1024) } });
    expect(await gone).toMatch(/transport (close|error)/);
    const c = await srv.client();
    expect((await join(c, 'buf')).peers.map((p) => p.id)).toContain(jb.peerId);
  });
});
