/** The start page: pick a name, create a room or join one by name. */
import { ROOM_PATTERN } from 'switchboard/client';
import { h, setChildren } from './dom.js';
import { saveName, savedName } from './prefs.js';

export function renderStartPage(root: HTMLElement): void {
  const nameInput = h('input', { id: 'name', testid: 'name-input', maxlength: 64, placeholder: 'e.g. Ada', autocomplete: 'nickname', value: savedName() ?? '' });
  const roomInput = h('input', { id: 'room', 'aria-label': 'Room name', testid: 'room-input', maxlength: 64, placeholder: 'room-name', autocapitalize: 'off', spellcheck: 'false' });
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'start-error' });
  const createBtn = h('button', { class: 'btn primary wide', type: 'button', testid: 'create-room' }, 'Create a room');

  const keepName = () => {
    const n = nameInput.value.trim();
    if (n) saveName(n);
  };

  createBtn.addEventListener('click', async () => {
    keepName();
    createBtn.disabled = true;
    error.textContent = '';
    try {
      const res = await fetch('/api/rooms', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      if (!res.ok) throw new Error(`the server answered ${res.status}`);
      const body = (await res.json()) as { room: string; token: string | null };
      location.assign(`/r/${encodeURIComponent(body.room)}${body.token ? `?t=${encodeURIComponent(body.token)}` : ''}`);
    } catch (err) {
      error.textContent = `Could not create a room: ${err instanceof Error ? err.message : String(err)}. Is the server reachable?`;
      createBtn.disabled = false;
    }
  });

  const joinForm = h(
    'form',
    { class: 'join-row', testid: 'join-form' },
    roomInput,
    h('button', { class: 'btn', type: 'submit', testid: 'join-room' }, 'Join'),
  );
  joinForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    keepName();
    const room = roomInput.value.trim();
    if (!ROOM_PATTERN.test(room)) {
      error.textContent = 'Room names use letters, digits, - and _ (at most 64).';
      roomInput.focus();
      return;
    }
    location.assign(`/r/${encodeURIComponent(room)}`);
  });

  setChildren(
    root,
    h(
      'main',
      { class: 'start' },
      h(
        'section',
        { class: 'card start-card' },
        h('h1', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'Switchboard'),
        h('p', { class: 'lede' }, 'Video calls, chat and file transfer, straight between browsers.'),
        h('label', { for: 'name' }, 'Your name'),
        nameInput,
        createBtn,
        h('div', { class: 'divider' }, h('span', {}, 'or join a room')),
        joinForm,
        error,
        h('p', { class: 'fineprint' }, 'Media and files travel peer to peer; the server only introduces you.'),
      ),
    ),
  );
}
