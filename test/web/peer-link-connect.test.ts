/** A link counts as connected when its data channel opens, without waiting for simple-peer's 'connect'. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { PeerLink, type SimplePeerLike } from '../../web/src/core/peer-link.js';

class Channel extends EventTarget {
  readyState = 'connecting';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  open() {
    this.readyState = 'open';
    this.dispatchEvent(new Event('open'));
  }
}

class Peer extends EventEmitter {
  connected = false;
  destroyed = false;
  _channel: Channel | null;
  _pc = new EventTarget();
  constructor(initiator: boolean) {
    super();
    this._channel = initiator ? new Channel() : null;
  }
  signal() {}
  send() {}
  addStream() {}
  removeStream() {}
  destroy() {}
}

function link(initiator: boolean) {
  const peer = new Peer(initiator);
  const l = new PeerLink('p', initiator, () => peer as unknown as SimplePeerLike, {}, []);
  let connects = 0;
  l.on('connect', () => connects++);
  return { peer, l, connects: () => connects };
}

describe('a link connects when its channel opens', () => {
  it('initiator: its own channel', () => {
    const { peer, l, connects } = link(true);
    expect(l.state).toBe('connecting');
    peer._channel!.open();
    expect(l.state).toBe('connected');
    expect(peer._channel!.bufferedAmountLowThreshold).toBeGreaterThan(0);
    peer.emit('connect'); // simple-peer's, later: no second event
    expect(connects()).toBe(1);
  });

  it('answerer: the channel announced on the peer connection', () => {
    const { peer, l, connects } = link(false);
    const ch = new Channel();
    peer._channel = ch;
    peer._pc.dispatchEvent(Object.assign(new Event('datachannel'), { channel: ch }));
    expect(l.state).toBe('connecting');
    ch.open();
    expect(l.state).toBe('connected');
    expect(connects()).toBe(1);
  });

  it("simple-peer's 'connect' alone is enough; a destroyed link never connects", () => {
    const a = link(false);
    a.peer.emit('connect');
    expect(a.connects()).toBe(1);
    const b = link(true);
    b.l.destroy();
    b.peer._channel!.open();
    expect(b.connects()).toBe(0);
  });
});

describe('remote tracks', () => {
  class FakeStream extends EventTarget {
    tracks: unknown[] = [];
    getTracks() {
      return this.tracks;
    }
    addTrack(t: unknown) {
      this.tracks.push(t);
    }
    removeTrack(t: unknown) {
      this.tracks = this.tracks.filter((x) => x !== t);
    }
  }
  const track = (id: string) => Object.assign(new EventTarget(), { id });

  it('come from the peer connection, every one into the link\'s one remote stream, with or without a stream of their own', () => {
    const g = globalThis as { MediaStream?: unknown };
    const had = g.MediaStream;
    g.MediaStream = FakeStream;
    try {
      const { peer, l } = link(true);
      const got: unknown[] = [];
      l.on('stream', (s) => got.push(s));
      const withStream = new FakeStream();
      const [t1, t2, t3] = [track('t1'), track('t2'), track('t3')];
      peer._pc.dispatchEvent(Object.assign(new Event('track'), { track: t1, streams: [withStream] }));
      peer._pc.dispatchEvent(Object.assign(new Event('track'), { track: t2, streams: [] }));
      peer._pc.dispatchEvent(Object.assign(new Event('track'), { track: t3, streams: [] }));
      expect(got).toHaveLength(3);
      const remote = got[0] as FakeStream;
      expect(remote).toBeInstanceOf(FakeStream);
      expect(remote).not.toBe(withStream);
      expect(got.every((s) => s === remote)).toBe(true);
      expect(remote.getTracks()).toEqual([t1, t2, t3]);
      peer.emit('track', track('t4'), new FakeStream()); // simple-peer's own event is not used then
      expect(got).toHaveLength(3);
      // Removed by the other side, or ended: out of the stream, and said so.
      withStream.dispatchEvent(Object.assign(new Event('removetrack'), { track: t1 }));
      t3.dispatchEvent(new Event('ended'));
      expect(remote.getTracks()).toEqual([t2]);
      expect(got).toHaveLength(5);
    } finally {
      g.MediaStream = had;
    }
  });
});

describe('end of candidates', () => {
  it("the browser's null candidate goes out as the empty candidate, for the m-line of the last one", () => {
    const { peer, l } = link(true);
    const sent: unknown[] = [];
    l.on('signal', (d) => sent.push(d));
    peer.emit('signal', { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 5000 typ host', sdpMid: '1', sdpMLineIndex: 1 } });
    const ev = Object.assign(new Event('icecandidate'), { candidate: null });
    peer._pc.dispatchEvent(ev);
    expect(sent.at(-1)).toEqual({ type: 'candidate', candidate: { candidate: '', sdpMid: '1', sdpMLineIndex: 1 } });
    l.destroy();
    peer._pc.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate: null }));
    expect(sent).toHaveLength(2); // nothing once the link is gone
  });
});
