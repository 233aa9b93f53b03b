/** The mesh budget's table and the quality rule. */
import { describe, expect, it } from 'vitest';
import type { PeerInfo } from '../../web/src/core/index.js';
import { QualityMeter, UPLINK_VIDEO_BUDGET_BPS, videoLimitsFor } from '../../web/src/ui/bandwidth.js';

describe('videoLimitsFor', () => {
  it('divides the budget among the copies, scales the picture down as the share shrinks, never over the budget', () => {
    expect(videoLimitsFor(1)).toEqual({ maxBitrateBps: 1_200_000, scaleResolutionDownBy: 1, maxFramerate: 30 });
    expect(videoLimitsFor(2)).toEqual({ maxBitrateBps: 900_000, scaleResolutionDownBy: 1.5, maxFramerate: 30 });
    expect(videoLimitsFor(4)).toEqual({ maxBitrateBps: 450_000, scaleResolutionDownBy: 2, maxFramerate: 20 });
    expect(videoLimitsFor(20).maxBitrateBps).toBe(150_000); // the floor
    for (let n = 1; n <= 7; n++) expect(n * videoLimitsFor(n).maxBitrateBps!).toBeLessThanOrEqual(UPLINK_VIDEO_BUDGET_BPS);
  });
});

describe('QualityMeter', () => {
  const peer = (rttMs: number, framesDecoded: number, at: number): PeerInfo => ({
    id: 'p', name: 'P', state: 'connected', path: 'direct', rttMs, protocol: 2, attempts: 0, error: null, initiator: true, iceState: 'connected', generation: 1,
    media: { inCall: true, audio: true, video: true }, stream: {} as MediaStream, screen: null,
    stats: { localType: 'host', remoteType: 'host', path: 'direct', localProtocol: 'udp', rttMs, bitrateBps: 0, bytesSent: 0, bytesReceived: 0, framesDecoded, at },
  });
  it('good with a short round trip and a fluid picture; fair, then poor, as either worsens', () => {
    const q = new QualityMeter();
    expect(q.of(peer(20, 0, 1000))).toBe('good'); // no frame rate known yet
    expect(q.of(peer(20, 25, 2000))).toBe('good'); // 25 fps
    expect(q.of(peer(20, 33, 3000))).toBe('fair'); // 8 fps
    expect(q.of(peer(500, 60, 4000))).toBe('poor');
    expect(q.of({ ...peer(20, 60, 5000), state: 'connecting' })).toBe('unknown');
  });
});
