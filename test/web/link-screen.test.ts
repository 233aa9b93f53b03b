/**
 * LinkScreen: the screen a link sends (its own sender, announced by mid once negotiated; stopped
 * and shared again on the same sender) and the one it receives (the track on the mid the peer
 * named, whichever of the two comes first).
 */
import { describe, expect, it } from 'vitest';
import { LinkScreen, type ScreenPc } from '../../web/src/core/link-screen.js';

class FakeTrack extends EventTarget {
  readyState = 'live';
  constructor(readonly id: string) {
    super();
  }
  end(): void {
    this.readyState = 'ended';
    this.dispatchEvent(new Event('ended'));
  }
}

class FakeSender {
  replaced: Array<string | null> = [];
  constructor(public track: FakeTrack | null) {}
  async replaceTrack(t: FakeTrack | null): Promise<void> {
    this.track = t;
    this.replaced.push(t?.id ?? null);
  }
}

/** A peer connection with senders and transceivers; `negotiate` gives the unassigned ones a mid. */
class FakePc extends EventTarget {
  transceivers: Array<{ sender: FakeSender; mid: string | null }> = [{ sender: new FakeSender(new FakeTrack('camera')), mid: '1' }];
  getSenders = () => this.transceivers.map((t) => t.sender);
  getTransceivers = () => this.transceivers;
  add(track: FakeTrack): void {
    this.transceivers.push({ sender: new FakeSender(track), mid: null });
  }
  negotiate(): void {
    for (const t of this.transceivers) t.mid ??= String(this.transceivers.indexOf(t) + 1);
    this.dispatchEvent(new Event('signalingstatechange'));
  }
}

function setup() {
  const pc = new FakePc();
  const announced: Array<string | null> = [];
  const shown: Array<string | null> = [];
  const notCamera: string[] = [];
  let adds = 0;
  const screen = new LinkScreen(
    pc as unknown as ScreenPc,
    (t) => {
      adds++;
      pc.add(t as unknown as FakeTrack);
    },
    {
      announce: (mid) => announced.push(mid),
      stream: (s) => shown.push(s ? (s as unknown as { track: FakeTrack }).track.id : null),
      notCamera: (t) => notCamera.push((t as unknown as FakeTrack).id),
    },
    (t) => ({ track: t }) as unknown as MediaStream,
  );
  const track = (id: string) => new FakeTrack(id) as unknown as MediaStreamTrack;
  const stream = {} as MediaStream;
  return { pc, screen, announced, shown, notCamera, adds: () => adds, track, stream };
}

describe('LinkScreen, sending', () => {
  it('adds the screen once, announces its mid when negotiated, stops and shares again on the same sender', async () => {
    const { pc, screen, announced, adds, track, stream } = setup();
    const first = track('screen-1');
    await screen.send(first, stream);
    expect(adds()).toBe(1);
    expect(announced).toEqual([]); // no mid before the negotiation
    expect(screen.announced).toBeNull();
    pc.negotiate();
    expect(announced).toEqual(['2']);
    expect(screen.announced).toBe('2');

    await screen.send(null, null);
    expect(announced).toEqual(['2', null]);
    expect(screen.announced).toBeNull();
    const sender = pc.transceivers[1]!.sender;
    expect(sender.track).toBeNull();

    // Shared again: the same sender, no new track added (no renegotiation), the same mid.
    await screen.send(track('screen-2'), stream);
    expect(adds()).toBe(1);
    expect(sender.replaced).toEqual([null, 'screen-2']);
    expect(announced).toEqual(['2', null, '2']);
  });

  it('says nothing of a share stopped before it was negotiated', async () => {
    const { pc, screen, announced, track, stream } = setup();
    await screen.send(track('screen-1'), stream);
    await screen.send(null, null);
    pc.negotiate();
    expect(announced).toEqual([]);
    expect(screen.announced).toBeNull();
  });
});

describe('LinkScreen, receiving', () => {
  it('shows the track on the named mid, whether the track or the message comes first', () => {
    for (const trackFirst of [true, false]) {
      const { screen, shown, notCamera, track } = setup();
      const t = track('remote-screen');
      if (trackFirst) {
        expect(screen.take(t, '3')).toBe(false); // not known as the screen yet: the camera's media has it
        screen.remote('3');
        expect(notCamera).toEqual(['remote-screen']);
      } else {
        screen.remote('3');
        expect(shown).toEqual([]); // nothing to show before the track
        expect(screen.take(t, '3')).toBe(true);
      }
      expect(shown).toEqual(['remote-screen']);
    }
  });

  it('keeps camera tracks, hides the screen when stopped, shows it again on the next share', () => {
    const { screen, shown, track } = setup();
    expect(screen.take(track('camera'), '1')).toBe(false);
    expect(screen.take(track('no-mid'), null)).toBe(false);
    const t = track('remote-screen');
    screen.take(t, '3');
    screen.remote('3');
    screen.remote('3'); // repeated (a new channel): no new stream
    screen.remote(null);
    expect(screen.stream).toBeNull();
    // A track on a mid that was the screen is never the camera's, also between shares.
    expect(screen.take(track('later'), '3')).toBe(true);
    screen.remote('3');
    expect(shown).toEqual(['remote-screen', null, 'later']);
  });

  it('hides the screen when its track ends', () => {
    const { screen, shown, track } = setup();
    const t = track('remote-screen');
    screen.remote('3');
    screen.take(t, '3');
    (t as unknown as FakeTrack).end();
    expect(shown).toEqual(['remote-screen', null]);
    expect(screen.stream).toBeNull();
  });
});
