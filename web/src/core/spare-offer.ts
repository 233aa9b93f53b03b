/**
 * The first offer, prepared before the join (room-core.ts `prepareSpare`): the page knows its ICE
 * servers (boot data), so a peer connection, its offer and ICE gathering run while the signaling
 * connection opens. This holds that link and the signals it made until a peer takes it, or drops
 * it (no peer to offer to: it has warmed the browser's WebRTC up).
 */
import type { SignalData } from '../../../server/protocol/schemas.js';
import type { PeerLink } from './peer-link.js';

/** A first offer prepared before the join is used only this young (see `take`). */
export const SPARE_MAX_AGE_MS = 20_000;

export class SpareOffer {
  private spare: { link: PeerLink; signals: SignalData[]; detach: () => void } | null = null;

  /** Holds `link` (dropping the one held before), recording its signals until it is taken. */
  hold(link: PeerLink): void {
    this.drop();
    const signals: SignalData[] = [];
    const offSignal = link.on('signal', (d) => signals.push(d));
    const offClose = link.on('close', () => {
      if (this.spare?.link === link) this.drop();
    });
    this.spare = { link, signals, detach: () => (offSignal(), offClose()) };
  }

  /**
   * The held link and its signals so far, for the first peer this client initiates to; null when
   * there is none, or it is closed or was prepared long ago (the server was unreachable for a
   * while: its credentials and candidates may be stale, a fresh connection is the safe choice).
   */
  take(now = Date.now()): { link: PeerLink; signals: SignalData[] } | null {
    const spare = this.spare;
    if (!spare) return null;
    if (!spare.link.live || now - spare.link.createdAt > SPARE_MAX_AGE_MS) {
      this.drop();
      return null;
    }
    this.spare = null;
    spare.detach();
    return { link: spare.link, signals: spare.signals };
  }

  drop(): void {
    const spare = this.spare;
    this.spare = null;
    if (!spare) return;
    spare.detach();
    spare.link.destroy();
  }
}
