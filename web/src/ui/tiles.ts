/**
 * The call's tiles: one <figure> per stream shown, kept across renders (a <video> restarts when
 * moved or reloaded), each with its audio level and the active speaker highlighted
 * (speaking.ts), a pin button (the pinned tile large, the others in a strip; a peer's shared screen
 * is pinned when it appears, unless another tile is) and full screen.
 * The grid's columns for 1 to 8 tiles are in styles.css (`.tiles[data-count]`).
 */
import { h, setChildren, text } from './dom.js';
import { SpeakerMeter } from './speaking.js';

export interface TileEntry {
  /** 'self', a peer id, or `screen:<id>`. */
  key: string;
  stream: MediaStream;
  local: boolean;
  label: string;
  cameraOff: boolean;
  /** Audio off: no level shown, never the active speaker. */
  muted: boolean;
  screen?: boolean;
  /** Pinned when it appears and nothing else is (a peer's shared screen); unpinned, it stays so. */
  autoPin?: boolean;
}

interface Tile {
  el: HTMLElement;
  video: HTMLVideoElement;
  label: HTMLElement;
  name: HTMLElement;
  meter: HTMLElement;
  pin: HTMLButtonElement;
  tracks: string;
  muted: boolean;
}

export interface TileGrid {
  el: HTMLElement;
  render(entries: TileEntry[]): void;
  /** Plays every remote tile's audio on this speaker (setSinkId); '' is the system default. */
  setSpeaker(deviceId: string): void;
  /** The figure of a tile, by key. */
  tile(key: string): HTMLElement | null;
  /** The pinned tile's key, or null. */
  pinned(): string | null;
}

export function tileGrid(): TileGrid {
  const grid = h('div', { class: 'tiles', testid: 'video-grid' });
  const tiles = new Map<string, Tile>();
  let speaker = '';
  let pinned: string | null = null;
  let last: TileEntry[] = [];
  const meter = new SpeakerMeter((levels, active) => {
    for (const [k, t] of tiles) {
      const level = t.muted ? 0 : (levels.get(k) ?? 0);
      // A level of 0.3 RMS is loud speech: the bar is full there.
      t.meter.style.setProperty('--level', String(Math.min(1, level / 0.3)));
      t.el.dataset.level = level.toFixed(3);
      const on = k === active && !t.muted;
      t.el.classList.toggle('speaking', on);
    }
    grid.dataset.speaker = active ?? '';
  });

  const sink = (t: Tile) => {
    const v = t.video as HTMLVideoElement & { setSinkId?: (id: string) => Promise<void>; sinkId?: string };
    if (v.muted || !v.setSinkId || v.sinkId === speaker) return;
    v.setSinkId(speaker).catch((err: unknown) => console.warn('[switchboard] speaker not set:', err));
  };

  const make = (e: TileEntry): Tile => {
    const video = h('video', { autoplay: true, playsinline: true, testid: e.local ? 'local-video' : 'remote-video', 'aria-hidden': 'true' });
    video.muted = e.local;
    const meterEl = h('span', { class: 'tile-meter', 'aria-hidden': 'true', testid: 'tile-meter' });
    const name = h('span', {});
    const label = h('figcaption', { class: 'tile-label' }, meterEl, name);
    const pin = h('button', { class: 'tile-btn', type: 'button', testid: 'tile-pin', 'aria-pressed': 'false' }, 'Pin');
    const full = h('button', { class: 'tile-btn', type: 'button', testid: 'tile-fullscreen' }, 'Full screen');
    const el = h('figure', { class: `tile${e.local ? ' local' : ''}${e.screen ? ' screen' : ''}`, testid: 'video-tile', 'data-peer-id': e.key }, video, label, h('div', { class: 'tile-actions' }, pin, full));
    pin.addEventListener('click', () => {
      pinned = pinned === e.key ? null : e.key;
      render(last);
    });
    full.addEventListener('click', () => {
      if (document.fullscreenElement === el) void document.exitFullscreen();
      else void el.requestFullscreen?.().catch((err: unknown) => console.warn('[switchboard] no full screen:', err));
    });
    return { el, video, label, name, meter: meterEl, pin, tracks: '', muted: e.muted };
  };

  function render(entries: TileEntry[]): void {
    last = entries;
    if (pinned && !entries.some((e) => e.key === pinned)) pinned = null;
    const fresh = entries.find((e) => e.autoPin && !tiles.has(e.key));
    if (fresh && pinned === null) pinned = fresh.key;
    // The pinned tile first (the large one), the others after it in their order.
    entries = pinned ? [...entries.filter((e) => e.key === pinned), ...entries.filter((e) => e.key !== pinned)] : entries;
    const shown: HTMLElement[] = [];
    const keep = new Set<string>();
    for (const e of entries) {
      let t = tiles.get(e.key);
      if (!t) {
        t = make(e);
        tiles.set(e.key, t);
        sink(t);
      }
      // Set again when the stream's tracks changed, not only when it is another stream: a <video>
      // that loaded a stream with audio only does not pick up a video track added to it later
      // (setting srcObject runs the media element's load algorithm again).
      const ids = e.stream.getTracks().map((x) => x.id).join(',');
      if (t.video.srcObject !== e.stream || t.tracks !== ids) {
        t.tracks = ids;
        t.video.srcObject = e.stream;
        void t.video.play().catch(() => undefined);
      }
      text(t.name, e.label);
      t.el.classList.toggle('camera-off', e.cameraOff);
      t.muted = e.muted;
      meter.watch(e.key, e.stream);
      const isPinned = e.key === pinned;
      t.el.classList.toggle('pinned', isPinned);
      t.pin.setAttribute('aria-pressed', String(isPinned));
      t.pin.setAttribute('aria-label', `${isPinned ? 'Unpin' : 'Pin'} ${e.label.split(' · ')[0]}`);
      text(t.pin, isPinned ? 'Unpin' : 'Pin');
      keep.add(e.key);
      shown.push(t.el);
    }
    for (const [k, t] of tiles) {
      if (keep.has(k)) continue;
      t.video.srcObject = null;
      tiles.delete(k);
    }
    meter.retain(keep);
    grid.dataset.count = String(shown.length);
    grid.dataset.layout = pinned && shown.length > 1 ? 'pinned' : 'grid';
    if (shown.length === 0) setChildren(grid, h('div', { class: 'tiles-empty' }, h('p', {}, 'No one is on video yet.'), h('p', { class: 'muted' }, 'Start a call to share your camera and microphone with everyone in the room.')));
    else if (shown.some((el, i) => grid.children[i] !== el) || grid.children.length !== shown.length) setChildren(grid, ...shown);
  }

  return {
    el: grid,
    render,
    setSpeaker(id) {
      speaker = id;
      for (const t of tiles.values()) sink(t);
    },
    tile: (key) => tiles.get(key)?.el ?? null,
    pinned: () => pinned,
  };
}
