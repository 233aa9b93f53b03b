/**
 * The call's keyboard shortcuts (shown on their buttons, announced with aria-keyshortcuts). Single
 * keys, as most call apps have them, so they never fire while someone types: not in a text field,
 * a select or anything editable, and not with Ctrl, Alt or Meta held (the browser's own shortcuts).
 */

export interface Shortcut {
  /** `KeyboardEvent.key`, lower case. */
  key: string;
  shift: boolean;
  /** The aria-keyshortcuts value (WAI-ARIA 1.2 syntax), also what the button shows. */
  aria: string;
}

export const SHORTCUTS = {
  mute: { key: 'm', shift: false, aria: 'M' },
  camera: { key: 'v', shift: false, aria: 'V' },
  // Shift as well: leaving the call by one stray key press would be unkind.
  leave: { key: 'l', shift: true, aria: 'Shift+L' },
} as const satisfies Record<string, Shortcut>;

export type ShortcutName = keyof typeof SHORTCUTS;

/** Whether a key press in `target` is someone typing (not a shortcut). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest('[contenteditable=""], [contenteditable="true"]')) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}

/** The shortcut a key press means, if any. */
export function shortcutOf(ev: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'altKey' | 'metaKey' | 'target' | 'repeat'>): ShortcutName | null {
  if (ev.ctrlKey || ev.altKey || ev.metaKey || ev.repeat || isTyping(ev.target)) return null;
  for (const [name, s] of Object.entries(SHORTCUTS) as Array<[ShortcutName, Shortcut]>) {
    if (ev.key.toLowerCase() === s.key && ev.shiftKey === s.shift) return name;
  }
  return null;
}

/** Runs `handlers[name]` for each shortcut pressed on the page; returns the function that stops. */
export function installShortcuts(handlers: Partial<Record<ShortcutName, () => boolean>>): () => void {
  const onKey = (ev: KeyboardEvent) => {
    const name = shortcutOf(ev);
    // A handler returns false when its button is not there now (not in a call): the key is left alone.
    if (name && handlers[name]?.()) ev.preventDefault();
  };
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}
