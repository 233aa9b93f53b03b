/**
 * A peer that breaks the data-channel protocol: each malformed message is dropped, counted,
 * listed in protocolErrors and reported as a `protocol` error naming the peer, and never taken as
 * something else (a JSON text in a binary frame is not a file chunk).
 */
import { describe, expect, it } from 'vitest';
import type { SwitchboardError } from '../../web/src/core/errors.js';
import type { Message } from '../../web/src/core/messages.js';
import { B, setup, until } from './room-fakes.js';

describe('malformed data-channel messages', () => {
  it('are reported, one error each, and nothing else happens', async () => {
    const s = setup({ handshake: true, peers: [{ id: B, name: 'Bea' }] });
    const errors: SwitchboardError[] = [];
    const messages: Message[] = [];
    s.client.on('error', (e) => errors.push(e));
    s.client.on('message', (m) => messages.push(m));
    s.room.start();
    await until('link to B', () => s.peers.length === 1);
    s.peers[0]!.open();
    const bad: Array<string | Uint8Array> = [
      'not json',
      '{"t":"chat","text":"no id or ts"}',
      '{"t":"chat","id":"x","text":"hi","ts":"yesterday"}',
      `{"t":"chat","id":"${'x'.repeat(65)}","text":"hi","ts":1}`,
      '{"type":"chat","id":"x","text":"hi","ts":1}',
      '[1,2,3]',
      new TextEncoder().encode('{"t":"chat","id":"x","text":"as binary","ts":1}'),
      new Uint8Array([0xf1, 0, 0]), // a chunk frame shorter than its header
      new Uint8Array([]),
    ];
    for (const d of bad) s.peers[0]!.emit('data', d);
    expect(errors.map((e) => [e.code, e.peerId])).toEqual(bad.map(() => ['protocol', B]));
    expect(errors[0]!.message).toMatch(/^peer Bea: a text message that is not a valid control message: not json$/);
    expect(errors[6]!.message).toMatch(/binary message of \d+ bytes with kind byte 0x7b/);
    expect(s.client.protocolErrors).toHaveLength(bad.length);
    expect(s.room.malformedMessages).toBe(bad.length);
    expect(messages).toEqual([]);
    expect(s.client.transfers).toEqual([]);
    // Answered, once a second at most: the first one here, saying what was wrong.
    expect(s.peers[0]!.sentControl().filter((m) => m.t === 'protocol-error')).toEqual([
      { t: 'protocol-error', message: 'a text message that is not a valid control message: not json' },
    ]);
    // A well-formed message still gets through afterwards.
    s.peers[0]!.emit('data', '{"t":"chat","id":"ok-1","text":"fine","ts":5}');
    expect(messages).toEqual([{ from: B, kind: 'text', data: 'fine', id: 'ok-1', ts: 5 }]);
  });

  it('a protocol-error from the peer is reported and never answered; a hello names the protocol version', async () => {
    const s = setup({ handshake: true, peers: [{ id: B, name: 'Bea' }] });
    const errors: SwitchboardError[] = [];
    s.client.on('error', (e) => errors.push(e));
    s.room.start();
    await until('link to B', () => s.peers.length === 1);
    const p = s.peers[0]!;
    p.open();
    // This side's hello carries its version; the peer's is unknown until its hello.
    expect(p.sentControl()[0]).toEqual({ t: 'hello', name: expect.any(String), v: 1 });
    expect(s.client.peer(B)?.protocol).toBeNull();
    p.emit('data', JSON.stringify({ t: 'hello', name: 'Bea' }));
    expect(s.client.peer(B)?.protocol).toBe(1); // no v: version 1
    expect(errors).toEqual([]);
    p.emit('data', JSON.stringify({ t: 'protocol-error', message: 'chat without ts' }));
    expect(errors.map((e) => [e.code, e.message])).toEqual([['protocol', 'peer Bea: refused a message from this side: chat without ts']]);
    // A malformed protocol-error is counted but, like a valid one, not answered with another.
    p.emit('data', JSON.stringify({ t: 'protocol-error', message: 42 }));
    expect(s.room.malformedMessages).toBe(1);
    const answers = () => p.sentControl().filter((m) => m.t === 'protocol-error');
    expect(answers()).toEqual([]);
    p.emit('data', '{"t":"media"}');
    expect(answers()).toEqual([{ t: 'protocol-error', message: 'a text message that is not a valid control message: {"t":"media"}' }]);
    // A peer of another version: told once, and its version shown.
    p.emit('data', JSON.stringify({ t: 'hello', name: 'Bea', v: 2 }));
    p.emit('data', JSON.stringify({ t: 'hello', name: 'Bea', v: 2 }));
    expect(s.client.peer(B)?.protocol).toBe(2);
    expect(errors.filter((e) => /protocol version 2, this side 1/.test(e.message))).toHaveLength(1);
    // A version that is not a positive integer makes the hello malformed.
    p.emit('data', JSON.stringify({ t: 'hello', name: 'Bea', v: '1' }));
    expect(s.room.malformedMessages).toBe(3);
    expect(answers()).toHaveLength(1); // within the second: not answered again
  });
});

describe('what the SDK refuses before sending', () => {
  it('a URL with a path, a name it would not take back, an over-long token', async () => {
    const { joinRoom } = await import('../../web/src/core/client.js');
    expect(() => joinRoom({ url: 'http://localhost:3000/rtc', room: 'r' })).toThrow(/`url` must be the server's origin .* give Socket.IO's path as `path`/);
    expect(() => joinRoom({ url: 'http://localhost:3000', room: 'r', token: 'x'.repeat(4097) })).toThrow(/`token`/);
    const s = setup({ handshake: true });
    await expect(s.client.sendFile(new File(['x'], 'a\u0007b'))).rejects.toThrow(/file name must be 1-512 characters without control characters/);
    await expect(s.client.sendFile({ name: 'x', data: new Uint8Array(1), type: 'y'.repeat(300) })).rejects.toThrow(/MIME type/);
  });

  it('a hello whose name has control characters is a protocol error, the name unchanged', async () => {
    const s = setup({ handshake: true, peers: [{ id: B, name: 'Bea' }] });
    const errors: SwitchboardError[] = [];
    s.client.on('error', (e) => errors.push(e));
    s.room.start();
    await until('link to B', () => s.peers.length === 1);
    s.peers[0]!.open();
    s.peers[0]!.emit('data', JSON.stringify({ t: 'hello', name: 'evil\u001b[2J' }));
    expect(errors.map((e) => e.code)).toEqual(['protocol']);
    expect(s.client.peer(B)?.name).toBe('Bea');
  });
});
