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
