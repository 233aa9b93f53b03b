/** Chat over the data channels (never through the server). */
import type { ChatEntry, ChatStore } from './chat-store.js';
import { h, timeOf } from './dom.js';

export function chatPanel(chat: ChatStore): HTMLElement {
  const log = h('ol', { class: 'chat-log', testid: 'chat-log', 'aria-live': 'polite' });
  const input = h('input', { class: 'chat-input', testid: 'chat-input', placeholder: 'Message everyone', 'aria-label': 'Message everyone', maxlength: 4000, autocomplete: 'off' });
  const form = h('form', { class: 'chat-form' }, input, h('button', { class: 'btn primary', type: 'submit', testid: 'chat-send' }, 'Send'));
  const add = (m: ChatEntry) => {
    log.append(
      h(
        'li',
        { class: `msg${m.self ? ' self' : ''}`, testid: 'chat-message' },
        h('div', { class: 'msg-meta' }, `${m.self ? 'You' : m.name || 'Someone'} · ${timeOf(m.ts)}`),
        h('div', { class: 'msg-text' }, m.text),
      ),
    );
    log.scrollTop = log.scrollHeight;
  };
  for (const m of chat.entries) add(m); // what came before the page was built
  chat.onEntry(add);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (chat.send(input.value)) input.value = '';
  });
  return h('section', { class: 'card panel chat', 'aria-label': 'Chat' }, h('h2', {}, 'Chat'), log, form);
}
