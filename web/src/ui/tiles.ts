/** The call's tiles: one <figure> per stream shown, kept across renders (a <video> restarts when moved or reloaded). */
import { h, setChildren, text } from './dom.js';

export interface TileEntry {
  /** 'self', a peer id, or `screen:<id>`. */
  key: string;
  stream: MediaStream;
  local: boolean;
  label: string;
  cameraOff: boolean;
  screen?: boolean;
}

interface Tile {
  el: HTMLElement;
  video: HTMLVideoElement;
  label: HTMLElement;
  tracks: string;
}

export interface TileGrid {
  el: HTMLElement;
  render(entries: TileEntry[]): void;
  /** Plays every remote tile's audio on this speaker (setSinkId); '' is the system default. */
  setSpeaker(deviceId: string): void;
  /** The figure of a tile, by key. */
  tile(key: string): HTMLElement | null;
}

export function tileGrid(): TileGrid {
  const grid = h('div', { class: 'tiles', testid: 'video-grid' });
  const tiles = new Map<string, Tile>();
  let speaker = '';

  const sink = (t: Tile) => {
    const v = t.video as HTMLVideoElement & { setSinkId?: (id: string) => Promise<void>; sinkId?: string };
    if (v.muted || !v.setSinkId || v.sinkId === speaker) return;
    v.setSinkId(speaker).catch((err: unknown) => console.warn('[switchboard] speaker not set:', err));
  };

  const make = (e: TileEntry): Tile => {
    const video = h('video', { autoplay: true, playsinline: true, testid: e.local ? 'local-video' : 'remote-video', 'aria-hidden': 'true' });
    video.muted = e.local;
    const label = h('figcaption', { class: 'tile-label' });
    const el = h('figure', { class: `tile${e.local ? ' local' : ''}${e.screen ? ' screen' : ''}`, testid: 'video-tile', 'data-peer-id': e.key }, video, label);
    return { el, video, label, tracks: '' };
  };

  function render(entries: TileEntry[]): void {
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
      text(t.label, e.label);
      t.el.classList.toggle('camera-off', e.cameraOff);
      keep.add(e.key);
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

  return {
    el: grid,
    render,
    setSpeaker(id) {
      speaker = id;
      for (const t of tiles.values()) sink(t);
    },
    tile: (key) => tiles.get(key)?.el ?? null,
  };
}
