/**
 * Browser entry point (bundled by scripts/build-web.mjs and inlined in the page's <head>, see
 * server/http/web-page.ts). A room opens first, while the HTML is still being parsed: signaling
 * connects and the first offer is prepared. The room page is built once the document is parsed and
 * the first connections have settled (ui/first-paint.ts); the start page as soon as it is parsed.
 */
import '../styles.css';
import { readBoot } from './boot.js';
import { parseRoomUrl } from './ui/room-link.js';
import { ChatStore } from './ui/chat-store.js';
import { type OpenedRoom, startApp } from './ui/app.js';
import { holdBacklog } from './ui/backlog.js';
import { whenSettled } from './ui/first-paint.js';
import { installHook } from './ui/hook.js';
import { openRoom } from './ui/open-room.js';

// From a microtask, right after the bundle's evaluation: with DevTools or automation attached
// (the browser benchmarks, the e2e tests), Chromium records the JS stack of each new WebSocket, and
// V8 then re-parses every function on that stack for source positions. Called from here, the
// stack would hold the bundle's top level, i.e. the whole script (measured 40-80 ms per page load
// on a loaded 2-core machine); from a microtask only small functions. Without DevTools this costs
// nothing.
queueMicrotask(() => {
  const link = location.pathname.startsWith('/r/') ? parseRoomUrl(location.pathname, location.search) : null;
  const room = link ? openRoom(link, readBoot()) : null;
  const chat = room ? new ChatStore(room) : null;
  const opened: OpenedRoom | null = link && room && chat ? { link, room, chat, hook: installHook(room, chat), backlog: holdBacklog(room) } : null;
  const show = () => startApp(document.getElementById('app')!, opened);
  const parsed = () => (opened ? whenSettled(opened.room, show) : show());
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', parsed, { once: true });
  else parsed();
});
