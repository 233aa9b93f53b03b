/** The active-speaker rule: the loudest above the floor, held for a moment after going quiet. */
import { describe, expect, it } from 'vitest';
import { pickSpeaker, SPEAKING_FLOOR } from '../../web/src/ui/speaking.js';

describe('pickSpeaker', () => {
  it('takes the loudest above the floor, keeps the last speaker briefly, then nobody', () => {
    const loud = new Map([['a', 0.05], ['b', 0.2], ['c', SPEAKING_FLOOR / 2]]);
    expect(pickSpeaker(loud, null, 0, 1000)).toEqual({ speaker: 'b', loudAt: 1000 });
    const quiet = new Map([['a', 0.001], ['b', 0.001]]);
    expect(pickSpeaker(quiet, 'b', 1000, 1500)).toEqual({ speaker: 'b', loudAt: 1000 });
    expect(pickSpeaker(quiet, 'b', 1000, 5000)).toEqual({ speaker: null, loudAt: 1000 });
    // A speaker whose tile went away is not kept.
    expect(pickSpeaker(new Map([['a', 0]]), 'b', 1000, 1100).speaker).toBeNull();
  });
});
