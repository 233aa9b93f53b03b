/**
 * Send files to one peer or everyone: picked or dropped several at once, queued (file-queue.ts);
 * progress, rate, cancel and the SHA-256 verdict; images previewed on both sides.
 */
import type { FileTransfer as TransferInfo, Room } from 'switchboard/client';
import { formatBytes } from './format.js';
import { h, setChildren } from './dom.js';
import { FileQueue, type QueuedFile } from './file-queue.js';

const STATE_LABEL: Record<TransferInfo['state'], string> = {
  sending: 'Sending',
  receiving: 'Receiving',
  verifying: 'Verifying',
  paused: 'Paused: connection lost, continues when it is back',
  done: 'Done, SHA-256 verified',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Images shown as a thumbnail (a bigger one is only offered for download). */
const PREVIEW_MAX_BYTES = 25 * 1024 * 1024;
const previewable = (type: string, size: number) => /^image\/(png|jpeg|gif|webp|avif|bmp)$/.test(type) && size <= PREVIEW_MAX_BYTES;

export interface FilesPanel {
  el: HTMLElement;
  update(): void;
  received(info: TransferInfo, blob: Blob): void;
  /** Queues files for the chosen target (as a drop does). */
  addFiles(files: File[]): void;
  /** Where dropped files would go ("Drop to send to Bob"), or null when nobody is connected. */
  dropLabel(): string | null;
}

export function filesPanel(room: Room): FilesPanel {
  const target = h('select', { class: 'file-target', testid: 'file-target', 'aria-label': 'Send to' });
  const input = h('input', { type: 'file', multiple: true, class: 'file-input', testid: 'file-input', id: 'file-input', 'aria-label': 'Choose files to send' });
  const send = h('button', { class: 'btn primary', type: 'button', testid: 'file-send' }, 'Send files');
  const list = h('ul', { class: 'transfers', testid: 'transfers', 'aria-label': 'File transfers' });
  const downloads = new Map<string, string>();
  /** Thumbnails by transfer key (sent and received images) and by queue entry. */
  const previews = new Map<string, string>();
  const queuedPreviews = new Map<number, string>();
  const queue = new FileQueue((file, to) => room.sendFile(file, to ? { to } : {}), () => update());

  const chosen = () => (target.value && target.value !== 'all' ? target.value : undefined);
  const addFiles = (files: File[]) => {
    for (const q of queue.add(files, chosen())) if (previewable(q.file.type, q.file.size)) queuedPreviews.set(q.id, URL.createObjectURL(q.file));
  };

  const received = (info: TransferInfo, blob: Blob) => {
    if (info.verified) {
      const url = URL.createObjectURL(blob);
      downloads.set(info.key, url);
      if (previewable(info.mime, info.size)) previews.set(info.key, url);
    }
    update();
  };
  room.on('file-received', received);
  // An outgoing transfer of the file being sent now takes that file's thumbnail (one file is sent
  // at a time, so a new outgoing transfer of that name is it).
  room.on('file-progress', (t) => {
    const q = queue.current;
    const url = q && queuedPreviews.get(q.id);
    if (t.direction === 'out' && url && t.name === q.file.name && !previews.has(t.key)) previews.set(t.key, url);
  });
  send.addEventListener('click', () => {
    const files = [...(input.files ?? [])];
    if (files.length === 0) {
      input.click();
      return;
    }
    addFiles(files);
    input.value = '';
  });

  const thumb = (url: string | undefined, name: string) => (url ? h('img', { class: 'transfer-preview', src: url, alt: `Preview of ${name}`, testid: 'transfer-preview' }) : null);

  function row(t: TransferInfo): HTMLElement {
    const pct = t.size === 0 ? 100 : Math.floor((t.transferred / t.size) * 100);
    const active = t.state === 'sending' || t.state === 'receiving' || t.state === 'verifying' || t.state === 'paused';
    const who = room.peer(t.peerId)?.name || 'peer';
    const url = downloads.get(t.key);
    return h(
      'li',
      { class: `transfer state-${t.state}`, testid: 'transfer-row', 'data-key': t.key, 'data-state': t.state, 'data-name': t.name },
      thumb(previews.get(t.key), t.name),
      h(
        'div',
        { class: 'transfer-body' },
        h('div', { class: 'transfer-head' }, h('span', { class: 'transfer-name' }, `${t.direction === 'out' ? '↑' : '↓'} ${t.name}`), h('span', { class: 'transfer-who' }, t.direction === 'out' ? `to ${who}` : `from ${who}`)),
        h('progress', { max: 100, value: pct, testid: 'transfer-progress', 'aria-label': `${t.name}: ${pct}%` }),
        h(
          'div',
          { class: 'transfer-foot' },
          h('span', {}, `${pct}% of ${formatBytes(t.size)}${active && t.rateBps ? ` · ${formatBytes(Math.round(t.rateBps))}/s` : ''} · ${t.error ?? STATE_LABEL[t.state]}`),
          active ? h('button', { class: 'btn small', type: 'button', testid: 'transfer-cancel', 'aria-label': `Cancel ${t.name}`, onclick: () => room.cancelTransfer(t.key) }, 'Cancel') : null,
          url ? h('a', { class: 'btn small', href: url, download: t.name, testid: 'transfer-download', 'aria-label': `Save ${t.name}` }, 'Save') : null,
        ),
      ),
    );
  }

  /** A file still waiting its turn (or that could not be sent). */
  function queuedRow(q: QueuedFile): HTMLElement | null {
    if (q.state === 'sending') return null; // its transfers show it
    const who = q.to ? room.peer(q.to)?.name || 'peer' : 'everyone';
    return h(
      'li',
      { class: `transfer state-${q.state}`, testid: 'queued-row', 'data-state': q.state, 'data-name': q.file.name },
      thumb(queuedPreviews.get(q.id), q.file.name),
      h(
        'div',
        { class: 'transfer-body' },
        h('div', { class: 'transfer-head' }, h('span', { class: 'transfer-name' }, `↑ ${q.file.name}`), h('span', { class: 'transfer-who' }, `to ${who}`)),
        h('progress', { max: 100, value: 0, 'aria-label': `${q.file.name}: ${q.state}` }),
        h(
          'div',
          { class: 'transfer-foot' },
          h('span', {}, `${formatBytes(q.file.size)} · ${q.state === 'failed' ? `Not sent: ${q.error}` : 'Queued'}`),
          h('button', { class: 'btn small', type: 'button', 'aria-label': `Remove ${q.file.name}`, onclick: () => queue.remove(q.id) }, 'Remove'),
        ),
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
    // Thumbnails of transfers the room no longer lists, and of queue entries gone, are released.
    const keys = new Set(items.map((t) => t.key));
    for (const [k, url] of previews) {
      if (keys.has(k) || downloads.has(k)) continue;
      previews.delete(k);
      if (![...previews.values()].includes(url)) URL.revokeObjectURL(url);
    }
    const ids = new Set(queue.items.map((q) => q.id));
    for (const [id, url] of queuedPreviews) {
      if (ids.has(id)) continue;
      queuedPreviews.delete(id);
      if (![...previews.values()].includes(url)) URL.revokeObjectURL(url);
    }
    const waiting = queue.items.map(queuedRow).filter((r) => r !== null).reverse();
    setChildren(list, ...waiting, ...items.map(row), items.length + waiting.length === 0 ? h('li', { class: 'empty' }, 'Drop files anywhere on the page, or choose them here. They go straight to the other browser, checked with SHA-256.') : null);
  }

  const el = h(
    'section',
    { class: 'card panel files', 'aria-label': 'Files' },
    h('h2', {}, 'Files'),
    h('div', { class: 'file-row' }, input, target, send),
    list,
  );
  update();
  const dropLabel = () => {
    if (!room.peers.some((e) => e.state === 'connected')) return null;
    const to = chosen();
    return `Drop to send to ${to ? room.peer(to)?.name || 'peer' : 'everyone'}`;
  };
  return { el, update, received, addFiles, dropLabel };
}
