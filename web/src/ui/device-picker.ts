/**
 * Camera, microphone and speaker pickers. A new camera or microphone during a call is swapped in
 * with Room.replaceTrack (no renegotiation); the choice is remembered (devices.ts). A device that
 * goes away mid-call (its track ends) is replaced by another of its kind when there is one, else
 * the call goes on without it, and the panel says so.
 */
import type { Room } from 'switchboard/client';
import { h, setChildren } from './dom.js';
import { audioConstraints, canPickSpeaker, type DeviceKind, type Devices, listDevices, saveDevice, savedDevice, videoConstraints } from './devices.js';

export interface DevicePicker {
  el: HTMLElement;
  /** Lists the devices again (after permission was granted, labels appear). */
  refresh(): Promise<void>;
  /** Watches the shared stream's tracks for a device unplugged mid-call. */
  watch(stream: MediaStream): void;
}

export interface PickerEvents {
  speaker(deviceId: string): void;
  /** A state to show: `unplugged`, or `error` with what went wrong; null clears it. */
  status(state: 'unplugged' | 'error' | null, message: string): void;
  /** The local stream's tracks changed (the tile shows the new one). */
  changed(): void;
}

const NAMES: Record<DeviceKind, string> = { videoinput: 'Camera', audioinput: 'Microphone', audiooutput: 'Speaker' };
const NONE: Record<DeviceKind, string> = { videoinput: 'No camera found', audioinput: 'No microphone found', audiooutput: 'Default speaker' };
const KIND_OF: Record<'videoinput' | 'audioinput', 'video' | 'audio'> = { videoinput: 'video', audioinput: 'audio' };

export function devicePicker(room: Room, on: PickerEvents): DevicePicker {
  const selects = {} as Record<DeviceKind, HTMLSelectElement>;
  const fields: HTMLElement[] = [];
  const kinds: DeviceKind[] = canPickSpeaker() ? ['videoinput', 'audioinput', 'audiooutput'] : ['videoinput', 'audioinput'];
  for (const kind of kinds) {
    const id = `device-${kind}`;
    selects[kind] = h('select', { id, testid: id, class: 'device-select' });
    fields.push(h('div', { class: 'device-field' }, h('label', { for: id }, NAMES[kind]), selects[kind]));
  }
  let devices: Devices = { videoinput: [], audioinput: [], audiooutput: [] };
  /** Tracks this page stopped itself (their `ended` is not an unplug). */
  const retired = new WeakSet<MediaStreamTrack>();

  async function refresh(): Promise<void> {
    devices = await listDevices().catch(() => devices);
    for (const kind of kinds) {
      const sel = selects[kind];
      const list = devices[kind];
      const inUse = kind === 'audiooutput' ? null : room.localStream?.getTracks().find((t) => t.kind === KIND_OF[kind])?.getSettings().deviceId;
      const current = inUse ?? savedDevice(kind, list)?.deviceId ?? sel.value;
      setChildren(sel, ...(list.length ? list.map((d, i) => h('option', { value: d.deviceId }, d.label || `${NAMES[kind]} ${i + 1}`)) : [h('option', { value: '' }, NONE[kind])]));
      if (list.some((d) => d.deviceId === current)) sel.value = current;
      sel.disabled = list.length === 0;
    }
  }

  /** Sends the device `deviceId` of `kind` in place of the current one (no renegotiation). */
  async function swap(kind: 'videoinput' | 'audioinput', deviceId: string): Promise<void> {
    const stream = room.localStream;
    const old = stream?.getTracks().find((t) => t.kind === KIND_OF[kind]);
    if (!stream || !old) return; // not in a call (or joined without one): used at the next start
    if (old.getSettings().deviceId === deviceId && old.readyState === 'live') return;
    const got = await navigator.mediaDevices.getUserMedia(kind === 'videoinput' ? { video: videoConstraints(deviceId) } : { audio: audioConstraints(deviceId) });
    const track = got.getTracks()[0]!;
    await room.replaceTrack(track);
    retired.add(old);
    old.stop();
    watchTrack(track);
    on.changed();
  }

  const onPick = (kind: DeviceKind) => async () => {
    const d = devices[kind].find((x) => x.deviceId === selects[kind].value);
    if (!d) return;
    saveDevice(kind, d);
    if (kind === 'audiooutput') return on.speaker(d.deviceId);
    try {
      await swap(kind, d.deviceId);
      on.status(null, '');
    } catch (err) {
      on.status('error', `Could not switch to ${d.label || 'that device'}: ${err instanceof Error ? err.message : String(err)}`);
      await refresh();
    }
  };
  for (const kind of kinds) selects[kind].addEventListener('change', onPick(kind));

  /** A device unplugged: another of its kind if there is one, else the call goes on without it. */
  async function unplugged(track: MediaStreamTrack): Promise<void> {
    const kind = track.kind === 'video' ? 'videoinput' : 'audioinput';
    const gone = track.getSettings().deviceId;
    await refresh();
    const other = devices[kind].find((d) => d.deviceId !== gone);
    const what = kind === 'videoinput' ? 'camera' : 'microphone';
    if (other) {
      try {
        await swap(kind, other.deviceId);
        on.status('unplugged', `Your ${what} was disconnected; switched to ${other.label || `another ${what}`}.`);
        await refresh();
        return;
      } catch {
        /* that one cannot be used either: go on without */
      }
    }
    room.setTrackEnabled(KIND_OF[kind], false);
    on.status('unplugged', `Your ${what} was disconnected. The call goes on without it; plug it back in and pick it under ${NAMES[kind]}.`);
    on.changed();
  }

  function watchTrack(track: MediaStreamTrack): void {
    track.addEventListener('ended', () => {
      if (!retired.has(track) && room.localStream?.getTracks().includes(track)) void unplugged(track);
    }, { once: true });
  }

  navigator.mediaDevices?.addEventListener?.('devicechange', () => void refresh());
  void refresh();
  return {
    el: h('div', { class: 'devices', role: 'group', 'aria-label': 'Devices', testid: 'devices' }, ...fields),
    refresh,
    watch: (stream) => stream.getTracks().forEach(watchTrack),
  };
}
