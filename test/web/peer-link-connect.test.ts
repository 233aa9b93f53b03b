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
    constructor(readonly tracks: unknown[] = []) {
      super();
    }
    getTracks() {
      return this.tracks;
    }
  }
  const track = (id: string, kind: string) => Object.assign(new EventTarget(), { id, kind, muted: true, readyState: 'live' });

  it('come from the peer connection, with or without a stream of their own, into one stream per link with a track per kind', () => {
    const g = globalThis as { MediaStream?: unknown };
    const had = g.MediaStream;
    g.MediaStream = FakeStream;
    try {
      const { peer, l } = link(true);
      const got: FakeStream[] = [];
      l.on('stream', (s) => got.push(s as unknown as FakeStream));
      const withStream = new FakeStream();
      const [t1, t2, t3] = [track('t1', 'audio'), track('t2', 'video'), track('t3', 'video')];
      peer._pc.dispatchEvent(Object.assign(new Event('track'), { track: t1, streams: [withStream] }));
      peer._pc.dispatchEvent(Object.assign(new Event('track'), { track: t2, streams: [] }));
      peer._pc.dispatchEvent(Object.assign(new Event('track'), { track: t3, streams: [] }));
      // t3 is a second video track while t2 is shown: no change (remote-media.test.ts has the rules).
      expect(got.map((s) => s.getTracks())).toEqual([[t1], [t1, t2]]);
      expect(got.every((s) => s instanceof FakeStream && s !== withStream)).toBe(true);
      peer.emit('track', track('t4', 'audio'), new FakeStream()); // simple-peer's own event is not used then
      expect(got).toHaveLength(2);
      // Removed by the other side, or ended: out of the stream, and said so with a new stream.
      withStream.dispatchEvent(Object.assign(new Event('removetrack'), { track: t1 }));
      expect(got.at(-1)!.getTracks()).toEqual([t2]);
      t2.dispatchEvent(new Event('ended'));
      expect(got.at(-1)!.getTracks()).toEqual([t3]);
      expect(got).toHaveLength(4);
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
