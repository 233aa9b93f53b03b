/** Send a file to one peer or everyone; progress, rate, cancel and the SHA-256 verdict. */
import type { FileTransfer as TransferInfo, Room } from 'switchboard/client';
import { formatBytes } from './format.js';
import { h, setChildren } from './dom.js';

const STATE_LABEL: Record<TransferInfo['state'], string> = {
  sending: 'Sending',
  receiving: 'Receiving',
  verifying: 'Verifying',
  paused: 'Paused: connection lost, continues when it is back',
  done: 'Done, SHA-256 verified',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function filesPanel(room: Room): { el: HTMLElement; update(): void; received(info: TransferInfo, blob: Blob): void } {
  const target = h('select', { class: 'file-target', testid: 'file-target', 'aria-label': 'Send to' });
  const input = h('input', { type: 'file', class: 'file-input', testid: 'file-input', id: 'file-input' });
  const send = h('button', { class: 'btn primary', type: 'button', testid: 'file-send' }, 'Send file');
  const list = h('ul', { class: 'transfers', testid: 'transfers' });
  const downloads = new Map<string, string>();

  const received = (info: TransferInfo, blob: Blob) => {
    if (info.verified) downloads.set(info.key, URL.createObjectURL(blob));
    update();
  };
  room.on('file-received', received);
  send.addEventListener('click', () => {
    const file = input.files?.[0];
    if (!file) {
      input.click();
      return;
    }
    const to = target.value && target.value !== 'all' ? target.value : undefined;
    // A peer that went away meanwhile: its row shows nothing new, the refusal says why.
    room.sendFile(file, to ? { to } : {}).catch((err: unknown) => console.warn('[switchboard] file not sent:', err));
    input.value = '';
  });

  function row(t: TransferInfo): HTMLElement {
    const pct = t.size === 0 ? 100 : Math.floor((t.transferred / t.size) * 100);
    const active = t.state === 'sending' || t.state === 'receiving' || t.state === 'verifying' || t.state === 'paused';
    const who = room.peer(t.peerId)?.name || 'peer';
    const url = downloads.get(t.key);
    return h(
      'li',
      { class: `transfer state-${t.state}`, testid: 'transfer-row', 'data-key': t.key, 'data-state': t.state },
      h('div', { class: 'transfer-head' }, h('span', { class: 'transfer-name' }, `${t.direction === 'out' ? '↑' : '↓'} ${t.name}`), h('span', { class: 'transfer-who' }, t.direction === 'out' ? `to ${who}` : `from ${who}`)),
      h('progress', { max: 100, value: pct, testid: 'transfer-progress', 'aria-label': `${pct}%` }),
      h(
        'div',
        { class: 'transfer-foot' },
        h('span', {}, `${pct}% of ${formatBytes(t.size)}${active && t.rateBps ? ` · ${formatBytes(Math.round(t.rateBps))}/s` : ''} · ${t.error ?? STATE_LABEL[t.state]}`),
        active ? h('button', { class: 'btn small', type: 'button', testid: 'transfer-cancel', onclick: () => room.cancelTransfer(t.key) }, 'Cancel') : null,
        url ? h('a', { class: 'btn small', href: url, download: t.name, testid: 'transfer-download' }, 'Save') : null,
      ),
    );
  }

  function update(): void {
    const peers = room.peers.filter((e) => e.state === 'connected');
    const want = ['all', ...peers.map((p) => p.id)].join(',');
    if (target.dataset.options !== want) {
      const prev = target.value;
      setChildren(target, h('option', { value: 'all' }, 'Everyone'), ...peers.map((p) => h('option', { value: p.id }, p.name || p.id)));
      target.dataset.options = want;
      if ([...target.options].some((o) => o.value === prev)) target.value = prev;
    }
    send.disabled = peers.length === 0;
    const items = room.transfers.reverse();
    setChildren(list, ...items.map(row), items.length === 0 ? h('li', { class: 'empty' }, 'Files go straight to the other browser, checked with SHA-256.') : null);
  }

  const el = h(
    'section',
    { class: 'card panel files', 'aria-label': 'Files' },
    h('h2', {}, 'Files'),
    h('div', { class: 'file-row' }, input, target, send),
    list,
  );
  update();
  return { el, update, received };
}
