/**
 * Screen sharing: getDisplayMedia's track goes out in place of the camera (Room.replaceTrack, no
 * renegotiation; peers see it in this side's tile), and this page shows it as a tile of its own
 * beside the camera preview. Stopped from the app's button or from the browser's own control
 * (the track ends): the camera goes back out. Peers that do not share are untouched.
 */
import type { Room } from 'switchboard/client';
import { h, text } from './dom.js';

export interface ScreenShare {
  btn: HTMLButtonElement;
  /** The screen being shared, or null. */
  screen(): MediaStream | null;
  /** What the local camera tile shows while sharing (the camera, no longer in the shared stream); null when not sharing. */
  cameraPreview(): MediaStream | null;
  /** Stops sharing (leaving the call). */
  stop(): Promise<void>;
}

export function screenShare(room: Room, on: { changed(): void; status(msg: string): void }): ScreenShare {
  const btn = h('button', { class: 'btn', type: 'button', testid: 'share-screen' }, 'Share screen');
  let screen: MediaStream | null = null;
  let camera: MediaStreamTrack | null = null;
  let preview: MediaStream | null = null;
  let cameraOn = true;

  async function start(): Promise<void> {
    const shared = room.localStream;
    const cam = shared?.getVideoTracks()[0];
    if (!shared || !cam) return on.status('Screen sharing takes the camera’s place: start the call with a camera first.');
    let s: MediaStream;
    try {
      s = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch (err) {
      // NotAllowedError: the user closed the picker. Nothing to say then.
      if ((err as { name?: string }).name !== 'NotAllowedError') on.status(`Could not share the screen: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const track = s.getVideoTracks()[0]!;
    cameraOn = cam.enabled;
    await room.replaceTrack(track);
    room.setTrackEnabled('video', true); // the shared stream's video is the screen now: peers see video
    camera = cam;
    preview = new MediaStream([...shared.getAudioTracks(), cam]);
    screen = s;
    // The browser's own "Stop sharing" ends the track.
    track.addEventListener('ended', () => void stop(), { once: true });
    on.changed();
  }

  async function stop(): Promise<void> {
    const s = screen;
    if (!s) return;
    screen = null;
    const cam = camera;
    camera = preview = null;
    if (cam && room.localStream) {
      await room.replaceTrack(cam).catch(() => undefined);
      room.setTrackEnabled('video', cameraOn);
    }
    for (const t of s.getTracks()) t.stop();
    on.changed();
  }

  btn.addEventListener('click', () => void (screen ? stop() : start()));
  return {
    btn,
    screen: () => {
      text(btn, screen ? 'Stop sharing' : 'Share screen');
      btn.classList.toggle('off', screen !== null);
      return screen;
    },
    cameraPreview: () => preview,
    stop,
  };
}
