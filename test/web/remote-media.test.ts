/** RemoteMedia: one track per kind from a link's remote tracks, the one that carries media. */
import { describe, expect, it } from 'vitest';
import { RemoteMedia } from '../../web/src/core/remote-media.js';

class FakeTrack extends EventTarget {
  muted = true;
  readyState = 'live';
  constructor(
    readonly kind: string,
    readonly id: string,
  ) {
    super();
  }
  /** RTP arrived (or stopped): the browser's unmute / mute. */
  set(muted: boolean): void {
    this.muted = muted;
    this.dispatchEvent(new Event(muted ? 'mute' : 'unmute'));
  }
  end(): void {
    this.readyState = 'ended';
    this.dispatchEvent(new Event('ended'));
  }
}

/** A remote MediaStream as the 'track' event gives it: only its removetrack matters here. */
class FakeSource extends EventTarget {
  /** The other side removed the track. */
  drop(t: FakeTrack): void {
    this.dispatchEvent(Object.assign(new Event('removetrack'), { track: t }));
  }
}

function setup() {
  const changes: string[] = [];
  const streams: FakeTrack[][] = [];
  const media = new RemoteMedia<FakeTrack, FakeTrack[]>(
    (tracks) => [...tracks],
    (s) => {
      streams.push(s);
      changes.push(ids(s));
    },
  );
  return { media, changes, streams, shown: () => (media.stream ? ids(media.stream) : 'none') };
}
const ids = (s: FakeTrack[]) => s.map((t) => t.id).sort().join(',');

describe('RemoteMedia', () => {
  it('shows the track that carries media when a second, dead transceiver gives a muted one first', () => {
    const { media, changes, streams, shown } = setup();
    const deadAudio = new FakeTrack('audio', 'a-dead');
    const deadVideo = new FakeTrack('video', 'v-dead');
    const audio = new FakeTrack('audio', 'a');
    const video = new FakeTrack('video', 'v');
    media.add(deadAudio);
    media.add(deadVideo);
    expect(shown()).toBe('a-dead,v-dead');
    const before = media.stream;
    media.add(audio);
    media.add(video);
    // Both muted: the shown ones stay (no churn until one carries media).
    expect(shown()).toBe('a-dead,v-dead');
    audio.set(false);
    video.set(false);
    expect(shown()).toBe('a,v');
    // The dead track never unmutes; the live one briefly muting changes nothing.
    video.set(true);
    expect(shown()).toBe('a,v');
    expect(changes).toEqual(['a-dead', 'a-dead,v-dead', 'a,v-dead', 'a,v']);
    // Nothing changed while only muted tracks arrived; every change is a new stream object.
    expect(streams[1]).toBe(before);
    expect(new Set(streams).size).toBe(streams.length);
  });

  it('switches to a track when it unmutes while the shown one stays muted, and never shows two of a kind', () => {
    const { media, shown } = setup();
    const live = new FakeTrack('video', 'live');
    const dead = new FakeTrack('video', 'dead');
    media.add(dead);
    media.add(live); // both muted: the first stays shown
    expect(shown()).toBe('dead');
    live.set(false);
    expect(shown()).toBe('live');
    expect(media.stream!.filter((t) => t.kind === 'video')).toHaveLength(1);
    // Adding the same track again is a no-op.
    media.add(live);
    expect(shown()).toBe('live');
  });

  it('drops an ended or removed track and falls back to the other one; empty when none is left', () => {
    const { media, changes, shown } = setup();
    expect(shown()).toBe('none');
    const from = new FakeSource();
    const a = new FakeTrack('audio', 'a');
    const b = new FakeTrack('audio', 'b');
    a.set(false);
    media.add(a, from);
    media.add(b);
    expect(shown()).toBe('a'); // the unmuted one stays
    from.drop(a);
    expect(shown()).toBe('b');
    b.end();
    expect(shown()).toBe('');
    expect(changes.at(-1)).toBe('');
    // An event for a track already gone changes nothing.
    const n = changes.length;
    a.end();
    expect(changes).toHaveLength(n);
  });
});
