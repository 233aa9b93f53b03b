import { describe, expect, it } from 'vitest';
import type { JoinAck } from '../../server/protocol/index.js';
import { MemoryRegistry } from '../../server/signaling/registry.js';
import { collect, join, next, request, startServer } from './harness.js';

describe('rooms: join, roster, leave', () => {
  it('join returns a peer id, the roster, and ICE servers; the others hear peer-joined', async () => {
    const srv = await startServer();
    const a = await srv.client();
    const b = await srv.client();
    const ja = await join(a, 'lobby', { name: 'Ada' });
    expect(ja.peerId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(ja.peers).toEqual([]);
    expect(ja.capacity).toBe(8);
    expect(ja.iceServers.length).toBeGreaterThan(0);

    const joined = next<{ id: string; name: string }>(a, 'peer-joined');
    const jb = await join(b, 'lobby', { name: 'Bob' });
    expect(jb.peers).toEqual([{ id: ja.peerId, name: 'Ada' }]);
    expect(await joined).toEqual({ id: jb.peerId, name: 'Bob', resumed: false });
  });

  it('leave tells the others and empties the roster', async () => {
    const srv = await startServer();
    const [a, b, c] = await Promise.all([srv.client(), srv.client(), srv.client()]);
    const ja = await join(a, 'r1');
    await join(b, 'r1');
    const left = next<{ id: string }>(b, 'peer-left');
    expect(await request(a, 'leave', {})).toEqual({ ok: true });
    expect(await left).toEqual({ id: ja.peerId });
    const jc = await join(c, 'r1');
    expect(jc.peers.map((p) => p.id)).not.toContain(ja.peerId);
    expect(jc.peers).toHaveLength(1);
  });

  it('a socket is in one room at a time: joining another room is a move', async () => {
    const srv = await startServer();
    const [a, b, c] = await Promise.all([srv.client(), srv.client(), srv.client()]);
    const ja = await join(a, 'one');
    await join(b, 'one');
    await join(c, 'two');
    const left = next<{ id: string }>(b, 'peer-left');
    const arrived = next<{ id: string }>(c, 'peer-joined');
    const moved = await join(a, 'two');
    expect(moved.peerId).toBe(ja.peerId);
    expect((await left).id).toBe(ja.peerId);
    expect((await arrived).id).toBe(ja.peerId);
    expect(await srv.app.io.in('room:one').fetchSockets()).toHaveLength(1);
  });

  it('disconnecting explicitly leaves at once', async () => {
    const srv = await startServer();
    const [a, b] = await Promise.all([srv.client(), srv.client()]);
    const ja = await join(a, 'r');
    await join(b, 'r');
    const left = next<{ id: string }>(b, 'peer-left', 2000);
    a.disconnect();
    expect((await left).id).toBe(ja.peerId);
  });

  it('room capacity: the peer over capacity gets room-full and the room is unchanged', async () => {
    const srv = await startServer({ ROOM_CAPACITY: '3' });
    const clients = await Promise.all([0, 1, 2, 3].map(() => srv.client()));
    for (const c of clients.slice(0, 3)) await join(c, 'small');
    const res = await request<JoinAck>(clients[3]!, 'join', { room: 'small' });
    expect(res).toEqual({ ok: false, error: { code: 'room-full', message: expect.stringContaining('full') } });
    expect(await srv.app.io.in('room:small').fetchSockets()).toHaveLength(3);
  });

  it('rejects bad room names and names with a clear bad-request', async () => {
    const srv = await startServer();
    const a = await srv.client();
    for (const room of ['', 'a'.repeat(65), 'spa ce', 'dot.ted', 'ünï', '../x']) {
      const res = await request<JoinAck>(a, 'join', { room });
      expect(res.ok, room).toBe(false);
      if (!res.ok) expect(res.error.code).toBe('bad-request');
    }
    const long = await request<JoinAck>(a, 'join', { room: 'ok', name: 'n'.repeat(65) });
    expect(!long.ok && long.error).toEqual({ code: 'bad-request', message: expect.stringContaining('name') });
    const ok = await request<JoinAck>(a, 'join', { room: 'A-z_09'.padEnd(64, 'x'), name: 'n'.repeat(64) });
    expect(ok.ok).toBe(true);
  });

  it('a join names the protocol version: absent or 1 is taken and the ack names the server\'s, another is refused', async () => {
    const srv = await startServer();
    const a = await srv.client();
    expect(await request<JoinAck>(a, 'join', { room: 'v' })).toMatchObject({ ok: true, protocol: 1 });
    expect(await request<JoinAck>(a, 'join', { room: 'v', protocol: 1 })).toMatchObject({ ok: true, protocol: 1 });
    expect(await request<JoinAck>(a, 'join', { room: 'w', protocol: 2 })).toEqual({
      ok: false,
      error: { code: 'bad-request', message: 'protocol: this server speaks protocol version 1, not 2' },
    });
    for (const protocol of ['1', 0, 1.5, 70000]) {
      const res = await request<JoinAck>(a, 'join', { room: 'w', protocol });
      expect(!res.ok && res.error.code, String(protocol)).toBe('bad-request');
    }
    // Refused joins left the socket where it was.
    expect(await srv.app.io.in('room:v').fetchSockets()).toHaveLength(1);
  });

  it('peers of other rooms hear nothing', async () => {
    const srv = await startServer();
    const [a, b, c] = await Promise.all([srv.client(), srv.client(), srv.client()]);
    const heard = collect(c, 'peer-joined');
    await join(c, 'elsewhere');
    await join(a, 'here');
    await join(b, 'here');
    await join(a, 'here');
    // c's own later join proves ordering: everything for c before it has arrived.
    const d = await srv.client();
    const seen = next<{ id: string }>(c, 'peer-joined');
    const jd = await join(d, 'elsewhere');
    expect((await seen).id).toBe(jd.peerId);
    expect(heard).toHaveLength(1);
  });

  it('joining the same room again as the same peer repeats the answer and announces nothing', async () => {
    const srv = await startServer();
    const [a, b, c] = await Promise.all([srv.client(), srv.client(), srv.client()]);
    const ja = await join(a, 'again', { name: 'Ada' });
    const jb = await join(b, 'again', { name: 'Bob' });
    const heard = collect<{ id: string; name: string }>(a, 'peer-joined');
    const first = next<{ id: string }>(a, 'peer-joined');
    const repeated = await join(b, 'again', { name: 'Bob' });
    expect(repeated).toMatchObject({ ok: true, peerId: jb.peerId, room: 'again', peers: [{ id: ja.peerId, name: 'Ada' }] });
    // c's join is announced after anything the repeat could have sent: it must be the only one.
    const jc = await join(c, 'again', { name: 'Cy' });
    expect((await first).id).toBe(jc.peerId);
    expect(heard.map((p) => p.id)).toEqual([jc.peerId]);
    const joins = /switchboard_joins_total\{[^}]*\} (\d+)/g;
    const metrics = await (await fetch(`${srv.url}/metrics`)).text();
    expect([...metrics.matchAll(joins)].reduce((n, m) => n + Number(m[1]), 0)).toBe(3);
  });

  it('a repeat after the room lost the peer (reaped by a cluster node meanwhile) announces it again', async () => {
    const registry = new MemoryRegistry();
    const srv = await startServer({}, { registry });
    const [a, b] = await Promise.all([srv.client(), srv.client()]);
    await join(a, 'lost', { name: 'Ada' });
    const jb = await join(b, 'lost', { name: 'Bob' });
    expect(await registry.leave('lost', jb.peerId)).toBe(true);
    const back = next<{ id: string; name: string; resumed: boolean }>(a, 'peer-joined');
    const again = await join(b, 'lost', { name: 'Bob' });
    expect(again).toMatchObject({ ok: true, peerId: jb.peerId });
    expect(await back).toEqual({ id: jb.peerId, name: 'Bob', resumed: false });
    expect((await registry.members('lost')).map((p) => p.id).sort()).toHaveLength(2);
  });

  it('a repeat under a new name is announced, with the new name', async () => {
    const srv = await startServer();
    const [a, b] = await Promise.all([srv.client(), srv.client()]);
    await join(a, 'names', { name: 'Ada' });
    const jb = await join(b, 'names', { name: 'Bob' });
    const renamed = next<{ id: string; name: string; resumed: boolean }>(a, 'peer-joined');
    await join(b, 'names', { name: 'Robert' });
    expect(await renamed).toEqual({ id: jb.peerId, name: 'Robert', resumed: false });
  });
});
