/**
 * Cameras, microphones and speakers: listed from enumerateDevices, the choice remembered in
 * localStorage (by device id, and by label as a fallback: ids change when site data is cleared),
 * and getUserMedia constraints that prefer the remembered device without failing when it is gone.
 */

export type DeviceKind = 'videoinput' | 'audioinput' | 'audiooutput';
export type Devices = Record<DeviceKind, MediaDeviceInfo[]>;

const KEY = 'switchboard.devices';

interface Saved {
  id: string;
  label: string;
}

function readAll(): Partial<Record<DeviceKind, Saved>> {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as unknown;
    return v && typeof v === 'object' ? (v as Partial<Record<DeviceKind, Saved>>) : {};
  } catch {
    return {};
  }
}

export function saveDevice(kind: DeviceKind, d: { deviceId: string; label: string }): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ ...readAll(), [kind]: { id: d.deviceId, label: d.label } }));
  } catch {
    /* private mode: not remembered */
  }
}

/** The remembered device of `kind` among `list` (by id, else by label), or null. */
export function savedDevice(kind: DeviceKind, list: MediaDeviceInfo[]): MediaDeviceInfo | null {
  const s = readAll()[kind];
  if (!s || typeof s.id !== 'string') return null;
  return list.find((d) => d.deviceId === s.id) ?? list.find((d) => s.label && d.label === s.label) ?? null;
}

/** The remembered device id of `kind`, as saved (before the list is known). */
export function savedDeviceId(kind: DeviceKind): string | null {
  const id = readAll()[kind]?.id;
  return typeof id === 'string' ? id : null;
}

export async function listDevices(): Promise<Devices> {
  const out: Devices = { videoinput: [], audioinput: [], audiooutput: [] };
  for (const d of (await navigator.mediaDevices?.enumerateDevices?.()) ?? []) {
    // Before permission is granted Chromium lists one entry per kind with an empty id: not a choice.
    if (d.deviceId && d.kind in out) out[d.kind as DeviceKind].push(d);
  }
  return out;
}

/** Whether this browser can route audio to a chosen speaker (HTMLMediaElement.setSinkId). */
export const canPickSpeaker = (): boolean => typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

/** Camera constraints: 640x360, from `deviceId` when given (`exact`: only that one). */
export function videoConstraints(deviceId: string | null, exact = true): MediaTrackConstraints {
  return { width: 640, height: 360, ...(deviceId ? { deviceId: exact ? { exact: deviceId } : { ideal: deviceId } } : {}) };
}

export function audioConstraints(deviceId: string | null, exact = true): MediaTrackConstraints | true {
  return deviceId ? { deviceId: exact ? { exact: deviceId } : { ideal: deviceId } } : true;
}

/**
 * The remembered camera and microphone, asked for exactly (Chromium does not always honour an
 * `ideal` device id); when one of them is gone, whatever the browser picks.
 */
export async function rememberedMedia(kinds: { video: boolean; audio: boolean }): Promise<MediaStream> {
  const cam = savedDeviceId('videoinput');
  const mic = savedDeviceId('audioinput');
  const ask = (withSaved: boolean) => navigator.mediaDevices.getUserMedia({
    video: kinds.video ? videoConstraints(withSaved ? cam : null) : false,
    audio: kinds.audio ? audioConstraints(withSaved ? mic : null) : false,
  });
  if (!cam && !mic) return ask(false);
  try {
    return await ask(true);
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name !== 'OverconstrainedError' && name !== 'NotFoundError') throw err;
    return ask(false);
  }
}

/** A getUserMedia error as one of the states the call panel shows. */
export type MediaProblem = 'denied' | 'no-device' | 'busy' | 'insecure' | 'other';

export function problemOf(err: unknown): MediaProblem {
  const name = typeof err === 'object' && err !== null && 'name' in err ? String((err as { name: unknown }).name) : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no-device';
  if (name === 'NotReadableError' || name === 'AbortError') return 'busy';
  if (name === 'TypeError') return 'insecure';
  return 'other';
}
