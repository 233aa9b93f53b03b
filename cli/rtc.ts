/**
 * The terminal's WebRTC: werift behind the W3C-shaped adapter (node/werift-rtc.ts). With
 * `--ice-address`, host candidates (and every UDP socket) are on that one address only: for a
 * host with several, or a test that must keep its traffic on one interface.
 */
import { createWeriftRtc, onlyAddress, type WeriftRtc } from '../node/werift-rtc.js';

export function nodeRtc(iceAddress?: string): WeriftRtc {
  return createWeriftRtc(iceAddress ? { peerConfig: onlyAddress(iceAddress) } : {});
}
