/** The room page: header (room, share link, relay switch, name), status banner, call, people, chat, files. */
import type { Room, RoomState } from 'switchboard/client';
import type { OpenedRoom } from './app.js';
import { roomUrl } from './room-link.js';
import { callPanel } from './call-panel.js';
import { chatPanel } from './chat-panel.js';
import { h, setChildren, text } from './dom.js';
import { dropZone } from './drop-zone.js';
import { filesPanel } from './files-panel.js';
import { renderPeers } from './peers-panel.js';
import { QualityMeter } from './bandwidth.js';
import { watchNotices } from './notices.js';
import { saveName, savedName } from './prefs.js';

const BANNERS: Partial<Record<RoomState, [string, string]>> = {
  connecting: ['info', 'Connecting to the server…'],
  unreachable: ['error', 'The server is unreachable. Retrying…'],
  reconnecting: ['warn', 'Lost the server connection. Reconnecting… calls already running stay up.'],
  'room-full': ['error', 'This room is full. Try again later, or create a new room.'],
  unauthorized: ['error', 'This room link is not valid (or has expired). Ask for a new link.'],
  left: ['info', 'You left the room.'],
};

/** The page of a room opened (and started) by open-room.ts; its events so far show in the first render. */
export function renderRoomPage(root: HTMLElement, { room, link, hook, backlog, chat }: OpenedRoom): void {
  const stored = savedName();

  // ---- header
  const shareUrl = roomUrl(location.origin, link);
  const copyBtn = h('button', { class: 'btn small', type: 'button', testid: 'copy-link' }, 'Copy link');
  copyBtn.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(shareUrl);
      text(copyBtn, 'Copied');
    } catch {
      window.prompt('Copy this link', shareUrl);
    }
    setTimeout(() => text(copyBtn, 'Copy link'), 1500);
  });
  const relay = h('input', { type: 'checkbox', testid: 'relay-only', role: 'switch' });
  relay.checked = room.relayOnly;
  relay.addEventListener('change', () => room.setRelayOnly(relay.checked));
  const statusPill = h('span', { class: 'pill', testid: 'room-status' });
  const header = h(
    'header',
    { class: 'topbar' },
    h('a', { class: 'brand small', href: '/', 'aria-label': 'Switchboard start page' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'Switchboard'),
    h('div', { class: 'room-id' }, h('span', { class: 'muted' }, 'Room'), h('h1', { class: 'room-title', testid: 'room-name' }, link.room), copyBtn),
    h('div', { class: 'top-right' }, h('label', { class: 'switch', title: 'Use the TURN relay only (iceTransportPolicy: relay)' }, relay, h('span', {}, 'Relay only')), statusPill),
  );

  // ---- name prompt (never blocks the join)
  const namePrompt = h('form', { class: 'name-prompt', testid: 'name-prompt' });
  const nameInput = h('input', { maxlength: 64, placeholder: 'Your name', 'aria-label': 'Your name', testid: 'name-prompt-input', value: stored ?? '' });
  setChildren(namePrompt, h('span', {}, 'What should others call you?'), nameInput, h('button', { class: 'btn small primary', type: 'submit' }, 'Save'));
  namePrompt.hidden = stored !== null;
  namePrompt.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const n = nameInput.value.trim();
    if (!n) return;
    saveName(n);
    room.setName(n);
    namePrompt.hidden = true;
  });

  const banner = h('div', { class: 'banner', role: 'status', testid: 'banner' });
  const toasts = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
  const call = callPanel(room);
  const files = filesPanel(room);
  const peersList = h('ul', { class: 'peers', testid: 'peers' });
  const quality = new QualityMeter();
  const capacity = h('span', { class: 'muted small' });
  const grid = h(
    'div',
    { class: 'room-grid' },
    h('div', { class: 'stage' }, call.el),
    h(
      'aside',
      { class: 'side' },
      h('section', { class: 'card panel people', 'aria-label': 'People' }, h('h2', {}, 'In this room ', capacity), peersList),
      chatPanel(chat),
      files.el,
    ),
  );
  // Room full, bad link, left: nothing else to do on this page.
  const endCard = h(
    'section',
    { class: 'card end-card', testid: 'end-card' },
    h('div', { class: 'end-actions' }, h('button', { class: 'btn', type: 'button', onclick: () => location.reload() }, 'Try again'), h('a', { class: 'btn primary', href: '/' }, 'Start a new room')),
  );

  const main = h('main', { class: 'room', testid: 'room-main' }, namePrompt, banner, endCard, grid);
  // The whole page takes drops: a file let go outside the zone would make the browser open it in
  // place of the call.
  setChildren(root, header, main, toasts, dropZone(document.body, files.dropLabel, files.addFiles));

  const toast = ({ kind, text: msg }: { kind: string; text: string }) => {
    const t = h('div', { class: `toast ${kind}`, testid: 'toast' }, msg);
    toasts.append(t);
    setTimeout(() => t.remove(), 5000);
  };
  watchNotices(room, toast);
  const early = backlog.release();
  for (const n of early.notices) toast(n);
  for (const [info, blob] of early.received) files.received(info, blob);

  // ---- render on change, at most every 200 ms
  let pending = false;
  const render = () => {
    pending = false;
    const b = BANNERS[room.state];
    const s = room.state === 'error' ? (['error', `Something went wrong: ${room.error?.message ?? 'unknown error'}`] as const) : b;
    banner.hidden = !s;
    if (s) {
      banner.className = `banner ${s[0]}`;
      text(banner, s[1]);
    }
    banner.dataset.status = room.state;
    const ended = room.state === 'room-full' || room.state === 'unauthorized' || room.state === 'left';
    grid.hidden = ended;
    endCard.hidden = !ended;
    if (ended) namePrompt.hidden = true;
    text(statusPill, room.state === 'joined' ? 'Online' : room.state.replace('-', ' '));
    statusPill.className = `pill ${room.state}`;
    text(capacity, room.capacity ? `${room.peers.length + 1} of ${room.capacity}` : '');
    renderPeers(peersList, room, quality);
    files.update();
    call.update();
  };
  room.on('change', () => {
    if (pending) return;
    pending = true;
    setTimeout(render, 200);
  });

  hook.callError(call.error);
  document.title = `${link.room} · Switchboard`;
  render();
}
