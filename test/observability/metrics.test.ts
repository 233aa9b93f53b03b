import { describe, expect, it } from 'vitest';
import { join, request, startServer, until } from '../signaling/harness.js';
import { parsePrometheusText, samples } from '../support/prom-text.js';

/** The value of the one series `name` whose labels include `labels` (every series also has `node`). */
function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples(parsePrometheusText(text), name, labels);
  if (found.length > 1) throw new Error(`${found.length} series ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

describe('GET /metrics', () => {
  it('exposes sockets, rooms, joins, signals, errors by code, rate limiting and event-loop lag', async () => {
    const srv = await startServer({ RATE_LIMIT_BURST: '5', RATE_LIMIT_PER_SECOND: '1' });
    const [a, b] = await Promise.all([srv.client(), srv.client()]);
    await join(a, 'm');
    const jb = await join(b, 'm');
    await request(a, 'signal', { to: jb.peerId, data: { renegotiate: true } });
    await request(a, 'signal', { to: 'nobody-here', data: { renegotiate: true } });
    for (let i = 0; i < 6; i++) await request(a, 'leave-not', {});
    const res = await fetch(`${srv.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(metricValue(text, 'switchboard_connected_sockets')).toBe(2);
    expect(metricValue(text, 'switchboard_rooms')).toBe(1);
    expect(metricValue(text, 'switchboard_peers')).toBe(2);
    expect(metricValue(text, 'switchboard_joins_total', { resumed: 'false' })).toBe(2);
    expect(metricValue(text, 'switchboard_signals_relayed_total')).toBe(1);
    expect(metricValue(text, 'switchboard_errors_total', { event: 'signal', code: 'unknown-peer' })).toBe(1);
    expect(metricValue(text, 'switchboard_errors_total', { event: 'other', code: 'bad-request' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'switchboard_rate_limited_total')).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'switchboard_event_loop_lag_seconds', { stat: 'p99' })).toBeGreaterThanOrEqual(0);
    // Without a relay, the relay figures are zero rather than missing.
    expect(metricValue(text, 'switchboard_turn_allocations')).toBe(0);
    expect(text).toContain('# TYPE switchboard_turn_bytes_to_peers_total counter');
  });

  it('METRICS_TOKEN protects /metrics, /api/events, /api/stats and the dashboard', async () => {
    const srv = await startServer({ METRICS_TOKEN: 'metrics-token-123' });
    for (const path of ['/metrics', '/api/stats', '/api/events', '/dashboard/']) {
      const res = await fetch(`${srv.url}${path}`);
      expect(res.status, path).toBe(401);
    }
    const ok = await fetch(`${srv.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-123' } });
    expect(ok.status).toBe(200);
    const page = await fetch(`${srv.url}/dashboard/?token=metrics-token-123`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Switchboard');
  });
});

describe('GET /api/events (SSE)', () => {
  it('streams one sample a second with id and retry, and resumes from Last-Event-ID', async () => {
    const srv = await startServer();
    const a = await srv.client();
    await join(a, 'live');
    const ctl = new AbortController();
    const res = await fetch(`${srv.url}/api/events`, { signal: ctl.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    await until(async () => {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
      return (text.match(/^id: /gm) ?? []).length >= 2;
    }, 'two samples', 5000);
    ctl.abort();
    expect(text.startsWith('retry: 2000\n\n')).toBe(true);
    const events = [...text.matchAll(/id: (\d+)\nevent: sample\ndata: (.*)\n\n/g)].map((m) => ({ id: Number(m[1]), data: JSON.parse(m[2]!) as Record<string, number> }));
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events[1]!.id).toBe(events[0]!.id + 1);
    expect(events[1]!.data).toMatchObject({ peers: 1, rooms: 1, sockets: 1, allocations: 0, relayMbps: 0 });
    expect(events[1]!.data.t! - events[0]!.data.t!).toBeGreaterThanOrEqual(900);

    // Resume: everything after the first id arrives at once.
    const resumed = await fetch(`${srv.url}/api/events`, { headers: { 'last-event-id': String(events[0]!.id) } });
    const r2 = resumed.body!.getReader();
    let t2 = '';
    await until(async () => {
      t2 += new TextDecoder().decode((await r2.read()).value);
      return t2.includes(`id: ${events[1]!.id}\n`);
    }, 'the missed sample', 3000);
    await r2.cancel();
    expect(t2).not.toContain(`id: ${events[0]!.id}\n`);
  });
});

describe('GET /api/rooms/:room (presence)', () => {
  it('gives count and names, and ids only when rooms are open', async () => {
    const srv = await startServer();
    const [a, b] = await Promise.all([srv.client(), srv.client()]);
    const ja = await join(a, 'pres', { name: 'Ada' });
    const jb = await join(b, 'pres', { name: 'Bob' });
    const body = await (await fetch(`${srv.url}/api/rooms/pres`)).json();
    expect(body).toEqual({ room: 'pres', count: 2, capacity: 8, peers: expect.arrayContaining([{ id: ja.peerId, name: 'Ada' }, { id: jb.peerId, name: 'Bob' }]) });
    expect(await (await fetch(`${srv.url}/api/rooms/empty-room`)).json()).toMatchObject({ count: 0, peers: [] });
    expect((await fetch(`${srv.url}/api/rooms/bad.name`)).status).toBe(400);
  });

  it('hides ids when ROOM_SECRET is set', async () => {
    const srv = await startServer({ ROOM_SECRET: 'room-secret-for-tests-0123456789' });
    const { room, token } = (await (await fetch(`${srv.url}/api/rooms`, { method: 'POST' })).json()) as { room: string; token: string };
    const a = await srv.client();
    await join(a, room, { name: 'Ada', token });
    expect(await (await fetch(`${srv.url}/api/rooms/${room}`)).json()).toMatchObject({ count: 1, peers: [{ name: 'Ada' }] });
  });
});

describe('transports', () => {
  it('a call completes over HTTP long-polling only, and upgrades when it can', async () => {
    const srv = await startServer();
    const a = await srv.client({ transports: ['polling'] });
    const b = await srv.client({ transports: ['polling'] });
    expect((a.io as unknown as { engine: { transport: { name: string } } }).engine.transport.name).toBe('polling');
    await join(a, 'poll');
    const jb = await join(b, 'poll');
    const got = new Promise((resolve) => b.once('signal', resolve));
    await request(a, 'signal', { to: jb.peerId, data: { type: 'offer', sdp: 'v=0' } });
    expect(await got).toMatchObject({ data: { type: 'offer' } });
    const c = await srv.client({ transports: ['polling', 'websocket'] });
    await until(() => (c.io as unknown as { engine: { transport: { name: string } } }).engine.transport.name === 'websocket', 'the upgrade to websocket');
  });
});
