/** Routing: `/r/<room>` shows the room (opened by main.ts before the page exists), anything else the start page. */
import type { Room } from 'switchboard/client';
import type { RoomLink } from './room-link.js';
import type { ChatStore } from './chat-store.js';
import { h, setChildren } from './dom.js';
import type { Backlog } from './backlog.js';
import type { Hook } from './hook.js';
import { renderRoomPage } from './room-page.js';
import { renderStartPage } from './start-page.js';

export interface OpenedRoom {
  link: RoomLink;
  room: Room;
  hook: Hook;
  backlog: Backlog;
  chat: ChatStore;
}

export function startApp(root: HTMLElement, opened: OpenedRoom | null): void {
  if (opened) return renderRoomPage(root, opened);
  if (location.pathname.startsWith('/r/')) {
    setChildren(root, h('main', { class: 'start' }, h('section', { class: 'card start-card' }, h('h1', {}, 'That room name is not valid'), h('p', {}, 'Room names use letters, digits, - and _.'), h('a', { class: 'btn primary', href: '/' }, 'Go to the start page'))));
    return;
  }
  renderStartPage(root);
}
