/** The video call: a tile per participant, and mic / camera / leave controls. */
import type { Room } from 'switchboard/client';
import { describeMediaError } from './media-errors.js';
import { h, setChildren, text } from './dom.js';

export interface CallPanel {
  el: HTMLElement;
  update(): void;
  /** Last media error shown to the user (for the test hook). */
  error(): string | null;
}

async function getMedia(): Promise<{ stream: MediaStream; note: string | null }> {
  if (!navigator.mediaDevices?.getUserMedia) throw Object.assign(new Error('no mediaDevices'), { name: 'TypeError' });
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 }, audio: true }), note: null };
  } catch (err) {
    // No camera but a microphone (or the reverse): join with what there is.
    if ((err as { name?: string }).name !== 'NotFoundError') throw err;
    try {
      return { stream: await navigator.mediaDevices.getUserMedia({ audio: true }), note: 'No camera found: you joined with your microphone only.' };
    } catch {
      throw err;
    }
  }
}

export function callPanel(room: Room): CallPanel {
  const grid = h('div', { class: 'tiles', testid: 'video-grid' });
  const message = h('p', { class: 'call-message', role: 'status', testid: 'call-error' });
  const startBtn = h('button', { class: 'btn primary', type: 'button', testid: 'start-call' }, 'Start video call');
  const micBtn = h('button', { class: 'btn', type: 'button', testid: 'toggle-mic', 'aria-pressed': 'false' }, 'Mute');
  const camBtn = h('button', { class: 'btn', type: 'button', testid: 'toggle-camera', 'aria-pressed': 'false' }, 'Camera off');
  const leaveBtn = h('button', { class: 'btn danger', type: 'button', testid: 'leave-call' }, 'Leave call');
  const controls = h('div', { class: 'call-controls' }, startBtn, micBtn, camBtn, leaveBtn);
  const tiles = new Map<string, { el: HTMLElement; video: HTMLVideoElement; label: HTMLElement; tracks: string }>();
  let lastError: string | null = null;

  const tile = (key: string, stream: MediaStream, local: boolean) => {
    let t = tiles.get(key);
    if (!t) {
      const video = h('video', { autoplay: true, playsinline: true, testid: local ? 'local-video' : 'remote-video' });
      video.muted = local;
      const label = h('span', { class: 'tile-label' });
      const el = h('figure', { class: `tile${local ? ' local' : ''}`, testid: 'video-tile', 'data-peer-id': key }, video, label);
      t = { el, video, label, tracks: '' };
      tiles.set(key, t);
    }
    // Set again when the stream's tracks changed, not only when it is another stream: a <video>
    // that loaded a stream with audio only does not pick up a video track added to it later
    // (setting srcObject runs the media element's load algorithm again).
    const tracks = stream.getTracks().map((x) => x.id).join(',');
    if (t.video.srcObject !== stream || t.tracks !== tracks) {
      t.tracks = tracks;
      t.video.srcObject = stream;
      void t.video.play().catch(() => undefined);
    }
    return t;
  };

  room.on('stream', () => update());

  startBtn.addEventListener('click', async () => {
    startBtn.disabled = true;
    lastError = null;
    text(message, 'Starting camera…');
    try {
      const { stream, note } = await getMedia();
      room.setLocalStream(stream);
      text(message, note ?? '');
    } catch (err) {
      lastError = describeMediaError(err);
      text(message, lastError);
    }
    startBtn.disabled = false;
    update();
  });
  micBtn.addEventListener('click', () => room.setTrackEnabled('audio', !room.media.audio));
  camBtn.addEventListener('click', () => room.setTrackEnabled('video', !room.media.video));
  leaveBtn.addEventListener('click', () => {
    const s = room.localStream;
    room.setLocalStream(null);
    for (const t of s?.getTracks() ?? []) t.stop();
    text(message, '');
    update();
  });

  function update(): void {
    const inCall = room.localStream !== null;
    startBtn.hidden = inCall;
    micBtn.hidden = camBtn.hidden = leaveBtn.hidden = !inCall;
    text(micBtn, room.media.audio ? 'Mute' : 'Unmute');
    micBtn.setAttribute('aria-pressed', String(!room.media.audio));
    text(camBtn, room.media.video ? 'Camera off' : 'Camera on');
    camBtn.setAttribute('aria-pressed', String(!room.media.video));
    const keep = new Set<string>();
    const shown: HTMLElement[] = [];
    if (room.localStream) {
      const t = tile('self', room.localStream, true);
      text(t.label, `You${room.media.audio ? '' : ' · muted'}${room.media.video ? '' : ' · camera off'}`);
      t.el.classList.toggle('camera-off', !room.media.video);
      keep.add('self');
      shown.push(t.el);
    }
    for (const e of room.peers) {
      if (!e.stream || !e.media.inCall || e.stream.getTracks().length === 0) continue;
      const t = tile(e.id, e.stream, false);
      // A tile of a peer whose path is being restored keeps its last frame: say why it froze.
      text(t.label, `${e.name || 'Someone'}${e.state === 'reconnecting' ? ' · reconnecting…' : ''}${e.media.inCall && !e.media.audio ? ' · muted' : ''}${e.media.inCall && !e.media.video ? ' · camera off' : ''}`);
      t.el.classList.toggle('camera-off', e.media.inCall && !e.media.video);
      keep.add(e.id);
      shown.push(t.el);
    }
    for (const [k, t] of tiles) {
      if (keep.has(k)) continue;
      t.video.srcObject = null;
      tiles.delete(k);
    }
    grid.dataset.count = String(shown.length);
    if (shown.length === 0) setChildren(grid, h('div', { class: 'tiles-empty' }, h('p', {}, 'No one is on video yet.'), h('p', { class: 'muted' }, 'Start a call to share your camera and microphone with everyone in the room.')));
    else if (shown.some((el, i) => grid.children[i] !== el) || grid.children.length !== shown.length) setChildren(grid, ...shown);
  }

  update();
  return { el: h('section', { class: 'card call', 'aria-label': 'Video call' }, grid, h('div', { class: 'call-bar' }, controls, message)), update, error: () => lastError };
}
