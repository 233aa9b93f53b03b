/**
 * `switchboard/node`: the client SDK in Node.js. `createWeriftRtc()` is a WebRTC implementation
 * on werift (pure TypeScript, no native code) for `joinRoom`'s `rtc` option:
 *
 * `joinRoom({ url, room, rtc: createWeriftRtc() })`
 *
 * Data channels only (messages, files): no audio or video. TURN over UDP (werift falls back to
 * TCP when UDP fails); TURN over TLS untested. `npx switchboard send/receive` is built on it.
 *
 * @module switchboard/node
 */
import type { RtcImplementation } from '../web/src/core/index.js';
import { createWeriftRtc as create, type WeriftRtcOptions } from './werift-rtc.js';

export { LOOPBACK_ONLY, MEDIA_UNSUPPORTED, onlyAddress, type WeriftPeerConfig, type WeriftRtcOptions } from './werift-rtc.js';

/** A WebRTC implementation on werift, for `joinRoom({ rtc })`; `options.peerConfig` takes werift's own settings (see {@link onlyAddress}). */
export function createWeriftRtc(options: WeriftRtcOptions = {}): RtcImplementation {
  return create(options);
}
