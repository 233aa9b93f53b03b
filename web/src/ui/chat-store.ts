/**
 * The chat the page shows: text messages from the room (`message` events of kind `text`) and the
 * ones this page sent, newest last, at most CHAT_MAX. Kept from the moment the room opens, so
 * what arrives before the page is built is shown too.
 */
import type { Room } from 'switchboard/client';

export interface ChatEntry {
  id: string;
  from: string;
  name: string;
  text: string;
  ts: number;
  self: boolean;
}

export const CHAT_MAX = 1000;

export class ChatStore {
  readonly entries: ChatEntry[] = [];
  private readonly listeners = new Set<(e: ChatEntry) => void>();

  constructor(private readonly room: Room) {
    room.on('message', (m) => {
      if (m.kind !== 'text') return;
      this.add({ id: m.id, from: m.from, name: room.peer(m.from)?.name ?? '', text: m.data, ts: m.ts, self: false });
    });
  }

  /** Sends `text` to everyone; false when there was nothing to send. */
  send(text: string): boolean {
    const t = text.trim();
    if (!t || !this.room.selfId) return false;
    this.room.send(t);
    this.add({ id: `self-${Date.now()}-${this.entries.length}`, from: this.room.selfId, name: this.room.name, text: t, ts: Date.now(), self: true });
    return true;
  }

  onEntry(fn: (e: ChatEntry) => void): void {
    this.listeners.add(fn);
  }

  private add(e: ChatEntry): void {
    this.entries.push(e);
    if (this.entries.length > CHAT_MAX) this.entries.splice(0, this.entries.length - CHAT_MAX);
    for (const fn of this.listeners) fn(e);
  }
}
