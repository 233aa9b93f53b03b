/**
 * The media mark (web/src/core/media-watch.ts): a number that changes while frames arrive, read
 * from RTCRtpReceiver.getSynchronizationSources(); null where the runtime cannot tell.
 */
import { describe, expect, it } from 'vitest';
import { mediaMark } from '../../web/src/core/media-watch.js';

function receiver(sources: Array<{ timestamp: number; rtpTimestamp: number }>, readyState = 'live') {
  return { track: { readyState }, getSynchronizationSources: () => sources };
}

describe('mediaMark', () => {
  it('changes when a receiver delivers a new frame, stays put when none arrives', () => {
    const audio = [{ timestamp: 1000, rtpTimestamp: 48_000 }];
    const video = [{ timestamp: 1001, rtpTimestamp: 90_000 }];
    const pc = { getReceivers: () => [receiver(audio), receiver(video)] };
    const first = mediaMark(pc);
    expect(first).not.toBeNull();
    expect(mediaMark(pc)).toBe(first);
    video[0] = { timestamp: 1034, rtpTimestamp: 93_000 };
    expect(mediaMark(pc)).not.toBe(first);
  });

  it('is null without the API, without a peer connection, with no live remote track, or before the first frame', () => {
    expect(mediaMark(undefined)).toBeNull();
    expect(mediaMark({})).toBeNull();
    expect(mediaMark({ getReceivers: () => [{ track: { readyState: 'live' } }] })).toBeNull(); // werift: no getSynchronizationSources
    expect(mediaMark({ getReceivers: () => [receiver([{ timestamp: 1, rtpTimestamp: 2 }], 'ended')] })).toBeNull();
    expect(mediaMark({ getReceivers: () => [] })).toBeNull();
    // A live track with no frame yet (a call just started) is not a stall.
    expect(mediaMark({ getReceivers: () => [receiver([]), receiver([])] })).toBeNull();
  });
});
