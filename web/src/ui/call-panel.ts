/** The video call: a tile per participant, mic / camera / leave controls with shortcuts, device pickers. */
import type { Room } from 'switchboard/client';
import { describeMediaError } from './media-errors.js';
import { videoLimitsFor } from './bandwidth.js';
import { formatBitrate } from './format.js';
import { type MediaProblem, problemOf, rememberedMedia, savedDeviceId } from './devices.js';
import { devicePicker } from './device-picker.js';
import { h, text } from './dom.js';
import { installShortcuts, SHORTCUTS, type ShortcutName } from './shortcuts.js';
import { screenShare } from './screen-share.js';
import { type TileEntry, tileGrid } from './tiles.js';

export interface CallPanel {
  el: HTMLElement;
  update(): void;
  /** Last media error shown to the user (for the test hook). */
  error(): string | null;
}

/** A call button with its shortcut shown (the key is hidden from screen readers: aria-keyshortcuts says it). */
function keyButton(label: string, shortcut: ShortcutName, attrs: Record<string, string>): { btn: HTMLButtonElement; label: HTMLElement } {
  const s = SHORTCUTS[shortcut];
  const l = h('span', { class: 'btn-label' }, label);
  const btn = h('button', { type: 'button', 'aria-keyshortcuts': s.aria, title: `${label} (${s.aria})`, ...attrs }, l, h('kbd', { 'aria-hidden': 'true' }, s.aria));
  return { btn, label: l };
}

async function getMedia(): Promise<{ stream: MediaStream; note: string | null }> {
  if (!navigator.mediaDevices?.getUserMedia) throw Object.assign(new Error('no mediaDevices'), { name: 'TypeError' });
  try {
    return { stream: await rememberedMedia({ video: true, audio: true }), note: null };
  } catch (err) {
    // No camera but a microphone (or the reverse): join with what there is.
    if ((err as { name?: string }).name !== 'NotFoundError') throw err;
    try {
      return { stream: await rememberedMedia({ video: false, audio: true }), note: 'No camera found: you joined with your microphone only.' };
    } catch {
      throw err;
    }
  }
}

export function callPanel(room: Room): CallPanel {
  const grid = tileGrid();
  const message = h('p', { class: 'call-message', role: 'status', testid: 'call-error' });
  const uplink = h('p', { class: 'uplink muted small', testid: 'uplink-cap' });
  let limitsKey = '';
  const startBtn = h('button', { class: 'btn primary', type: 'button', testid: 'start-call' }, 'Start video call');
  const mic = keyButton('Mute', 'mute', { class: 'btn', testid: 'toggle-mic' });
  const cam = keyButton('Camera off', 'camera', { class: 'btn', testid: 'toggle-camera' });
  const leave = keyButton('Leave call', 'leave', { class: 'btn danger', testid: 'leave-call' });
  const [micBtn, camBtn, leaveBtn] = [mic.btn, cam.btn, leave.btn];
  const share = screenShare(room, { changed: () => update(), status: (msg) => say('note', msg) });
  const controls = h('div', { class: 'call-controls', role: 'toolbar', 'aria-label': 'Call controls' }, startBtn, micBtn, camBtn, share.btn, leaveBtn);
  let lastError: string | null = null;

  /** What the message line says, and as what (data-state: denied, no-device, unplugged, ...). */
  const say = (state: MediaProblem | 'unplugged' | 'note' | 'error' | null, msg: string) => {
    text(message, msg);
    message.dataset.state = state ?? '';
    message.classList.toggle('note', state === 'note' || state === 'unplugged');
  };
  const devices = devicePicker(room, {
    speaker: (id) => grid.setSpeaker(id),
    status: (state, msg) => say(state, msg),
    changed: () => update(),
  });
  grid.setSpeaker(savedDeviceId('audiooutput') ?? '');

  room.on('stream', () => update());
  room.on('screen', () => update());

  startBtn.addEventListener('click', async () => {
    startBtn.disabled = true;
    lastError = null;
    say(null, 'Starting camera…');
    try {
      const { stream, note } = await getMedia();
      room.setLocalStream(stream);
      devices.watch(stream);
      say(note ? 'note' : null, note ?? '');
    } catch (err) {
      lastError = describeMediaError(err);
      say(problemOf(err), lastError);
    }
    startBtn.disabled = false;
    await devices.refresh(); // labels appear once permission is granted
    update();
  });
  micBtn.addEventListener('click', () => room.setTrackEnabled('audio', !room.media.audio));
  camBtn.addEventListener('click', () => room.setTrackEnabled('video', !room.media.video));
  // The shortcuts act as a click on their button, when it is shown and enabled.
  const press = (b: HTMLButtonElement) => () => {
    if (b.hidden || b.disabled || !b.isConnected) return false;
    b.click();
    return true;
  };
  installShortcuts({ mute: press(micBtn), camera: press(camBtn), leave: press(leaveBtn) });
  leaveBtn.addEventListener('click', () => {
    share.stop();
    const s = room.localStream;
    room.setLocalStream(null);
    for (const t of s?.getTracks() ?? []) t.stop();
    say(null, '');
    update();
  });

  function update(): void {
    const inCall = room.localStream !== null;
    startBtn.hidden = inCall;
    micBtn.hidden = camBtn.hidden = leaveBtn.hidden = share.btn.hidden = !inCall;
    const screen = share.screen();
    const hasVideo = !!room.localStream?.getVideoTracks().some((t) => t.readyState === 'live');
    camBtn.disabled = inCall && !hasVideo && !room.media.video;
    // The label says what a press does (no aria-pressed as well: that would say it twice, reversed).
    text(mic.label, room.media.audio ? 'Mute' : 'Unmute');
    micBtn.classList.toggle('off', !room.media.audio);
    micBtn.title = `${mic.label.textContent} (${SHORTCUTS.mute.aria})`;
    text(cam.label, room.media.video ? 'Camera off' : 'Camera on');
    camBtn.classList.toggle('off', !room.media.video);
    camBtn.title = `${cam.label.textContent} (${SHORTCUTS.camera.aria})`;
    const entries: TileEntry[] = [];
    if (room.localStream) {
      if (screen) entries.push({ key: 'screen:self', stream: screen, local: true, label: 'Your screen', cameraOff: false, muted: true, screen: true });
      entries.push({ key: 'self', stream: room.localStream, local: true, label: `You${room.media.audio ? '' : ' · muted'}${room.media.video ? '' : ' · camera off'}`, cameraOff: !room.media.video, muted: !room.media.audio });
    }
    for (const e of room.peers) {
      const name = e.name || 'Someone';
      const reconnecting = e.state === 'reconnecting' ? ' · reconnecting…' : '';
      // A peer's screen: a tile of its own, large when nothing else is pinned (tiles.ts `autoPin`).
      if (e.screen) entries.push({ key: `screen:${e.id}`, stream: e.screen, local: false, label: `${name}’s screen${reconnecting}`, cameraOff: false, muted: true, screen: true, autoPin: true });
      if (!e.stream || !e.media.inCall || e.stream.getTracks().length === 0) continue;
      // A tile of a peer whose path is being restored keeps its last frame: say why it froze.
      entries.push({ key: e.id, stream: e.stream, local: false, label: `${name}${reconnecting}${e.media.audio ? '' : ' · muted'}${e.media.video ? '' : ' · camera off'}`, cameraOff: !e.media.video, muted: !e.media.audio });
    }
    grid.render(entries);
    // The mesh's uplink budget (bandwidth.ts): one copy of the camera per peer in the call, and
    // one of the screen while sharing (peers see it whether or not they are in the call).
    const connected = room.peers.filter((p) => p.state === 'connected');
    const receivers = connected.filter((p) => p.media.inCall).length;
    const copies = receivers + (screen ? connected.length : 0);
    const limits = videoLimitsFor(copies);
    const key = JSON.stringify(limits);
    if (key !== limitsKey) {
      limitsKey = key;
      room.setVideoLimits(limits);
    }
    const people = screen ? connected.length : receivers;
    uplink.hidden = !inCall || people === 0;
    text(uplink, `Your video: up to ${formatBitrate(limits.maxBitrateBps!)}${screen ? ' each for your camera and your screen' : ''} to each of ${people} ${people === 1 ? 'person' : 'people'}`);
  }

  update();
  return {
    el: h('section', { class: 'card call', 'aria-label': 'Video call' }, grid.el, h('div', { class: 'call-bar' }, controls, devices.el), message, uplink),
    update,
    error: () => lastError,
  };
}
