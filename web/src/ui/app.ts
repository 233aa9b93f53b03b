/** Routing: `/r/<room>` opens (and joins) the room at once, anything else is the start page. */
import { parseRoomUrl } from '../core/names.js';
import { h, setChildren } from './dom.js';
import { renderRoomPage } from './room-page.js';
import { renderStartPage } from './start-page.js';

export function startApp(root: HTMLElement): void {
  if (location.pathname.startsWith('/r/')) {
    const link = parseRoomUrl(location.pathname, location.search);
    if (link) return renderRoomPage(root, link);
    setChildren(root, h('main', { class: 'start' }, h('section', { class: 'card start-card' }, h('h1', {}, 'That room name is not valid'), h('p', {}, 'Room names use letters, digits, - and _.'), h('a', { class: 'btn primary', href: '/' }, 'Go to the start page'))));
    return;
  }
  renderStartPage(root);
}
