/**
 * Room logic without a browser: a fake Socket.IO socket (the test plays the server) and fake
 * simple-peer instances (room-fakes.ts). Covers the initiator rule, roster convergence on resume,
 * replacement of failed links with fresh ICE servers (bounded), and join errors.
 */
import { describe, expect, it } from 'vitest';
import { A, B, C, setup, tick, until } from './room-fakes.js';

describe('room logic', () => {
  it('the newcomer initiates to every listed peer; a later peer is waited for', async () => {
    const { room, socket, peers } = setup({ peers: [{ id: B, name: 'Bea' }] });
    room.start();
    await until('initiator link', () => peers.length === 1);
    expect(peers[0]!.opts.initiator).toBe(true);
    await until('offer sent', () => socket.sent.some((s) => s.event === 'signal'));
    expect(socket.sent.find((s) => s.event === 'signal')!.payload).toMatchObject({ to: B, data: { type: 'offer' } });

    socket.fire('peer-joined', { id: C, name: 'Cy', resumed: false });
    await tick();
    expect(peers).toHaveLength(1);
    expect(room.peers.get(C)!.conn).toBe('waiting');
    const offer = { type: 'offer', sdp: 'v=0\r\no=- 999 2 IN IP4 0.0.0.0\r\n' };
    socket.fire('signal', { from: C, data: offer });
    await until('answering link', () => peers.length === 2);
    expect(peers[1]!.opts.initiator).toBe(false);
    expect(peers[1]!.signals).toEqual([offer]);
    // The answering side's first connection reuses the join's ICE servers (see ice-reuse.test.ts).
    expect(peers[1]!.opts.config.iceServers![0]!.urls).toEqual(['stun:x']);
  });

  it('after a signaling drop: rejoins with resume, keeps the live connection, no duplicates', async () => {
    const { room, socket, peers } = setup({ peers: [{ id: B, name: 'Bea' }] });
    room.start();
    await until('link', () => peers.length === 1);
    peers[0]!.open();
    expect(room.peers.get(B)!.conn).toBe('connected');
    const gen = room.peers.get(B)!.link!.generation;

    socket.drop();
    expect(room.status).toBe('reconnecting');
    await until('rejoined', () => socket.joins().length === 2 && room.status === 'joined');
    expect(socket.joins()[1]).toMatchObject({ room: 'r1', resume: { peerId: A, key: 'key-1' } });
    expect(room.resumes).toBe(1);
    // B is also back (resumed): no new link, same connection, one entry.
    socket.fire('peer-joined', { id: B, name: 'Bea', resumed: true });
    await tick();
    expect(peers).toHaveLength(1);
    expect(room.peers.size).toBe(1);
    expect(room.peers.get(B)!.link!.generation).toBe(gen);
    expect(room.peers.get(B)!.conn).toBe('connected');
  });

  it('keeps a live connection to a peer that has not rejoined the restarted server yet', async () => {
    const { room, socket, peers } = setup({
      peers: [{ id: B, name: 'Bea' }],
      onJoin: (req, n) => (n === 0 ? undefined : { ok: true, peerId: A, resumeKey: 'key-2', room: 'r1', capacity: 4, peers: [], iceServers: [], resumed: !!req.resume }),
    });
    room.start();
    await until('link', () => peers.length === 1);
    peers[0]!.open();
    socket.drop();
    await until('rejoined', () => socket.joins().length === 2 && room.status === 'joined');
    expect(room.peers.get(B)!.conn).toBe('connected');
    socket.fire('peer-joined', { id: B, name: 'Bea', resumed: true });
    await tick();
    expect(peers).toHaveLength(1);
    expect(room.peers.size).toBe(1);
    // A third reconnect uses the newest key.
    socket.drop();
    await until('rejoined again', () => socket.joins().length === 3);
    expect(socket.joins()[2]).toMatchObject({ resume: { peerId: A, key: 'key-2' } });
  });

  it('replaces a failed link with fresh ICE servers, a bounded number of times', async () => {
    // The join's credentials could still be reused, but a failure may be theirs: fetched anyway.
    const joinIce = [{ urls: ['turn:join'], username: `${Math.floor(Date.now() / 1000) + 3600}:a`, credential: 'c' }];
    const { room, peers, iceFetches } = setup({ peers: [{ id: B, name: 'Bea' }], joinIce });
    room.start();
    await until('link', () => peers.length === 1);
    peers[0]!.open();
    for (let i = 1; i <= 3; i++) {
      peers[i - 1]!.fail();
      await until(`replacement ${i}`, () => peers.length === i + 1);
      expect(peers[i]!.opts.initiator).toBe(true);
      expect(peers[i]!.opts.config.iceServers![0]!.urls).toEqual([`turn:x?${i}`]);
    }
    expect(iceFetches()).toBe(3);
    peers[3]!.fail();
    await until('gives up', () => room.peers.get(B)!.conn === 'failed');
    expect(peers).toHaveLength(4);
  });

  it('a fresh offer from the initiator replaces a dead link; a renegotiation offer does not', async () => {
    const { room, socket, peers, iceFetches } = setup();
    room.start();
    await until('joined', () => room.status === 'joined');
    socket.fire('peer-joined', { id: B, name: 'Bea', resumed: false });
    const offer1 = { type: 'offer', sdp: 'v=0\r\no=- 500 2 IN IP4 0.0.0.0\r\n' };
    socket.fire('signal', { from: B, data: offer1 });
    await until('link', () => peers.length === 1);
    peers[0]!.open();
    // Same session, new version: renegotiation (e.g. video added).
    const reneg = { type: 'offer', sdp: 'v=0\r\no=- 500 3 IN IP4 0.0.0.0\r\n' };
    socket.fire('signal', { from: B, data: reneg });
    await tick();
    expect(peers).toHaveLength(1);
    expect(peers[0]!.signals).toEqual([offer1, reneg]);
    // New session: the initiator replaced its connection.
    const offer2 = { type: 'offer', sdp: 'v=0\r\no=- 777 2 IN IP4 0.0.0.0\r\n' };
    socket.fire('signal', { from: B, data: offer2 });
    const cand = { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.2 9 typ host', sdpMLineIndex: 0, sdpMid: '0' } };
    socket.fire('signal', { from: B, data: cand }); // arrives while ICE servers are fetched: queued
    await until('replacement', () => peers.length === 2);
    expect(peers[0]!.destroyed).toBe(true);
    expect(peers[1]!.signals).toEqual([offer2, cand]);
    // The first answer reused the join's ICE servers, the replacement fetched fresh ones.
    expect(peers[0]!.opts.config.iceServers![0]!.urls).toEqual(['stun:x']);
    expect(peers[1]!.opts.config.iceServers![0]!.urls).toEqual(['turn:x?1']);
    expect(iceFetches()).toBe(1);
  });

  it('room full: says so and stops; a rejected resume starts a fresh session', async () => {
    const full = setup({ onJoin: () => ({ ok: false, error: { code: 'room-full', message: 'room is full' } }) });
    full.room.start();
    await until('room-full', () => full.room.status === 'room-full');
    expect(full.socket.connected).toBe(false);

    const { room, socket } = setup({
      onJoin: (req, n) => (n === 1 && req.resume ? { ok: false, error: { code: 'unauthorized', message: 'bad resume key' } } : undefined),
    });
    room.start();
    await until('joined', () => room.status === 'joined');
    socket.drop();
    await until('fresh join', () => socket.joins().length === 3 && room.status === 'joined');
    expect(socket.joins()[1]!.resume).toBeDefined();
    expect(socket.joins()[2]!.resume).toBeUndefined();
  });

  it('server unreachable: reports it while retrying, then joins when the server comes', async () => {
    const { room, socket } = setup();
    let up = false;
    socket.connect = () => {
      queueMicrotask(() => {
        if (!up) return socket.fire('connect_error', new Error('xhr poll error'));
        socket.connected = true;
        socket.fire('connect');
      });
    };
    room.start();
    await until('unreachable', () => room.status === 'unreachable');
    up = true;
    await until('joined', () => room.status === 'joined');
  });

  it('signals produced while signaling is down are sent after the rejoin', async () => {
    const { room, socket, peers } = setup({ peers: [{ id: B, name: 'Bea' }] });
    room.start();
    await until('link', () => peers.length === 1);
    peers[0]!.open();
    socket.drop();
    const before = socket.sent.filter((x) => x.event === 'signal').length;
    peers[0]!.emit('signal', { type: 'offer', sdp: 'v=0\r\no=- 101 3 IN IP4 0.0.0.0\r\n' }); // renegotiation
    expect(socket.sent.filter((x) => x.event === 'signal')).toHaveLength(before);
    await until('rejoined', () => room.status === 'joined' && socket.joins().length === 2);
    const after = socket.sent.filter((x) => x.event === 'signal');
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)!.payload).toMatchObject({ to: B, data: { type: 'offer' } });
  });
});
