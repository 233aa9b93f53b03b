/** "In this room": every peer with connection state, path (direct / relayed), RTT and bitrate. */
import type { PeerInfo, PeerState, Room } from 'switchboard/client';
import { formatBitrate } from './format.js';
import type { Quality, QualityMeter } from './bandwidth.js';
import { h, setChildren } from './dom.js';

const CONN_LABEL: Record<PeerState, string> = {
  waiting: 'Waiting',
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  failed: 'Connection failed',
  closed: 'Disconnected',
};

function initials(name: string): string {
  return (name.trim() || '?').split(/\s+/).slice(0, 2).map((w) => w[0]!.toUpperCase()).join('');
}

const QUALITY_LABEL: Record<Quality, string> = { good: 'Good', fair: 'Fair', poor: 'Poor', unknown: '' };

export function peerRow(e: PeerInfo, quality: Quality = 'unknown'): HTMLElement {
  const s = e.stats;
  const path = s && e.state === 'connected' ? s.path : 'unknown';
  const pathText = path === 'relay' ? 'Relayed (TURN)' : path === 'direct' ? 'Direct' : '—';
  const detail = s && e.state === 'connected'
    ? `${s.localType ?? '?'} → ${s.remoteType ?? '?'} · ${s.rttMs === null ? '–' : `${s.rttMs} ms`} · ${formatBitrate(s.bitrateBps)}`
    : e.state === 'failed' && e.error ? e.error : '';
  return h(
    'li',
    { class: `peer conn-${e.state}`, testid: 'peer-row', 'data-peer-id': e.id, 'data-conn': e.state, 'data-path': path },
    h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(e.name)),
    h(
      'div',
      { class: 'peer-main' },
      h('div', { class: 'peer-name' }, e.name || 'Someone', e.media.inCall ? h('span', { class: 'tag' }, e.media.video ? 'video' : 'audio') : null),
      h('div', { class: 'peer-detail', testid: 'peer-detail' }, detail),
    ),
    h(
      'div',
      { class: 'peer-badges' },
      h('span', { class: `badge state-${e.state}`, testid: 'peer-state' }, CONN_LABEL[e.state]),
      path !== 'unknown' ? h('span', { class: `badge path-${path}`, testid: 'peer-path' }, pathText) : null,
      quality !== 'unknown' ? h('span', { class: `badge quality-${quality}`, testid: 'peer-quality', 'data-quality': quality, title: 'Connection quality: round-trip time and the frame rate received' }, `${QUALITY_LABEL[quality]} quality`) : null,
    ),
  );
}

export function renderPeers(list: HTMLElement, room: Room, quality: QualityMeter): void {
  const me = h(
    'li',
    { class: 'peer self', testid: 'self-row' },
    h('span', { class: 'avatar self', 'aria-hidden': 'true' }, initials(room.name)),
    h('div', { class: 'peer-main' }, h('div', { class: 'peer-name' }, `${room.name} (you)`), h('div', { class: 'peer-detail' }, room.relayOnly ? 'relay only' : '')),
  );
  const peers = room.peers;
  quality.forget(new Set(peers.map((p) => p.id)));
  const rows = peers.map((p) => peerRow(p, quality.of(p)));
  const empty = rows.length === 0 ? h('li', { class: 'empty' }, 'Nobody else is here yet. Share the link to invite someone.') : null;
  setChildren(list, me, ...rows, empty);
}
