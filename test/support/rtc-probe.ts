/** Inside pages: what their RTCPeerConnections do (negotiations, senders' parameters), for the browser tests. */
import type { BrowserContext, Page } from 'playwright-core';

/** Counts setLocalDescription calls (every negotiation makes one) and keeps the peer connections. */
export const countNegotiations = async (context: BrowserContext): Promise<void> => void await context.addInitScript(() => {
  const w = window as unknown as { __sld: number; __pcs: RTCPeerConnection[] };
  w.__sld = 0;
  w.__pcs = [];
  const Base = window.RTCPeerConnection;
  const sld = Base.prototype.setLocalDescription;
  Base.prototype.setLocalDescription = function (this: RTCPeerConnection, ...a: unknown[]) {
    w.__sld++;
    return (sld as (...x: unknown[]) => Promise<void>).apply(this, a);
  } as typeof sld;
  window.RTCPeerConnection = class extends Base {
    constructor(c?: RTCConfiguration) {
      super(c);
      w.__pcs.push(this);
    }
  } as typeof RTCPeerConnection;
});

export const negotiations = (page: Page) => page.evaluate(() => (window as unknown as { __sld: number }).__sld);

/** Each connected peer connection's video sender: its encoding limits and what it sends now. */
export const videoSenders = (page: Page) => page.evaluate(async () => {
  const out: Array<{ maxBitrate?: number; scale?: number; maxFramerate?: number; frameWidth: number | null }> = [];
  for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
    if (pc.connectionState !== 'connected') continue;
    for (const s of pc.getSenders()) {
      if (s.track?.kind !== 'video') continue;
      const e = s.getParameters().encodings[0] ?? {};
      let frameWidth: number | null = null;
      (await s.getStats()).forEach((x: Record<string, unknown>) => void (x.type === 'outbound-rtp' && typeof x.frameWidth === 'number' && (frameWidth = x.frameWidth)));
      out.push({ maxBitrate: e.maxBitrate, scale: e.scaleResolutionDownBy, maxFramerate: e.maxFramerate, frameWidth });
    }
  }
  return out;
});
