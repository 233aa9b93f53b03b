/**
 * Room.shareScreen with fake peers: the screen goes on every link and on links made later, its
 * mid is announced once negotiated (also on a channel that opens later), and the track's end
 * stops the sharing on every link. What a receiver does with the message: link-screen.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../web/src/core/errors.js';
import { B, C, setup, tick, until } from './room-fakes.js';

class FakeTrack extends EventTarget {
  readonly kind = 'video';
  readyState = 'live';
  stop() {
    this.readyState = 'ended';
  }
}
const displayStream = (track: FakeTrack) => ({ getVideoTracks: () => [track], getTracks: () => [track] }) as unknown as MediaStream;

describe('Room.shareScreen', () => {
  it('sends the screen on every link, now and later, announces its mid, and stops when the track ends', async () => {
    const { room, client, socket, peers } = setup({ peers: [{ id: B, name: 'Bea' }] });
    room.start();
    await until('link to Bea', () => peers.length === 1);
    peers[0]!.open();
    const track = new FakeTrack();
    let changes = 0;
    client.on('change', () => changes++);
    client.shareScreen(displayStream(track));
    expect(client.screen).not.toBeNull();
    expect(changes).toBeGreaterThan(0);
    expect(peers[0]!.added).toEqual([track]);
    const screens = (i: number) => peers[i]!.sentControl().filter((m) => m.t === 'screen');
    expect(screens(0)).toEqual([]); // no mid before the negotiation
    peers[0]!.pc.assignMids();
    expect(screens(0)).toEqual([{ t: 'screen', mid: '1' }]);

    // Cy joins while the screen is shared: his link sends it too, announced once its channel opens.
    socket.fire('peer-joined', { id: C, name: 'Cy', resumed: false });
    socket.fire('signal', { from: C, data: { type: 'offer', sdp: 'v=0\r\no=- 999 2 IN IP4 0.0.0.0\r\n' } });
    await until('link to Cy', () => peers.length === 2);
    expect(peers[1]!.added).toEqual([track]);
    peers[1]!.pc.assignMids();
    expect(screens(1)).toEqual([]);
    peers[1]!.open();
    expect(screens(1)).toEqual([{ t: 'screen', mid: '1' }]);

    // The browser's "Stop sharing": the track ends; every peer is told, nothing is sent on the senders.
    track.dispatchEvent(new Event('ended'));
    await tick();
    expect(client.screen).toBeNull();
    for (const i of [0, 1]) {
      expect(screens(i).at(-1)).toEqual({ t: 'screen', mid: null });
      expect(peers[i]!.pc.getSenders()[0]!.track).toBeNull();
    }
  });

  it('takes a stream with a live video track, or null', () => {
    const { client } = setup();
    const ended = new FakeTrack();
    ended.stop();
    for (const bad of [{}, 'screen', displayStream(ended), { getVideoTracks: () => [] }]) {
      expect(() => client.shareScreen(bad as MediaStream)).toThrow(SwitchboardError);
    }
    expect(() => client.shareScreen(null)).not.toThrow();
  });
});
