/**
 * Screen sharing: getDisplayMedia's screen, window or tab goes out beside the camera
 * (Room.shareScreen: a second video track; the camera keeps going, or stays off), and every page
 * shows it as a tile of its own. Stopped from the app's button or from the browser's own control
 * (the track ends: the SDK stops sharing then). Peers that do not share are untouched.
 */
import type { Room } from 'switchboard/client';
import { h, text } from './dom.js';

export interface ScreenShare {
  btn: HTMLButtonElement;
  /** The screen being shared, or null (and brings the button up to date). */
  screen(): MediaStream | null;
  /** Stops sharing (leaving the call). */
  stop(): void;
}

export function screenShare(room: Room, on: { changed(): void; status(msg: string): void }): ScreenShare {
  const btn = h('button', { class: 'btn', type: 'button', testid: 'share-screen' }, 'Share screen');
  let picking = false;

  async function start(): Promise<void> {
    if (!navigator.mediaDevices?.getDisplayMedia) return on.status('This browser cannot share a screen.');
    let s: MediaStream;
    picking = true;
    try {
      s = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch (err) {
      // NotAllowedError: the user closed the picker. Nothing to say then.
      if ((err as { name?: string }).name !== 'NotAllowedError') on.status(`Could not share the screen: ${err instanceof Error ? err.message : String(err)}`);
      return;
    } finally {
      picking = false;
    }
    const track = s.getVideoTracks()[0];
    if (!track || room.localStream === null) {
      for (const t of s.getTracks()) t.stop(); // the call was left while the picker was open
      return;
    }
    // Text and lines stay sharp at the expense of motion (W3C mst-content-hint).
    if ('contentHint' in track) track.contentHint = 'detail';
    // The browser's own "Stop sharing" ends the track: the SDK stops sharing, this tidies up.
    track.addEventListener('ended', () => stop(), { once: true });
    room.shareScreen(s);
    on.changed();
  }

  function stop(): void {
    const s = room.screen;
    if (!s) return;
    room.shareScreen(null);
    for (const t of s.getTracks()) t.stop();
    on.changed();
  }

  btn.addEventListener('click', () => {
    if (room.screen) stop();
    else if (!picking) void start();
  });
  return {
    btn,
    screen: () => {
      const screen = room.screen;
      text(btn, screen ? 'Stop sharing' : 'Share screen');
      btn.classList.toggle('off', screen !== null);
      return screen;
    },
    stop,
  };
}
