/** `window.switchboard` (web/src/ui/hook.ts): the state copy, and `onChange` at the moment of a change. */
import { afterEach, describe, expect, it } from 'vitest';
import { ChatStore } from '../../web/src/ui/chat-store.js';
import { installHook, type HookState } from '../../web/src/ui/hook.js';
import { B, setup, until } from './room-fakes.js';

interface HookApi {
  state(): HookState;
  onChange(fn: () => void): () => void;
}

const g = globalThis as { window?: unknown };
afterEach(() => void delete g.window);

describe('the test hook', () => {
  it('onChange runs in the change itself: the connect is seen in the same turn, and unsubscribing stops it', async () => {
    g.window = {};
    const s = setup({ handshake: true, peers: [{ id: B, name: 'Bea' }] });
    installHook(s.client, new ChatStore(s.client));
    const hook = (g.window as { switchboard: HookApi }).switchboard;
    const seen: string[] = [];
    const off = hook.onChange(() => seen.push(hook.state().peers[0]?.conn ?? 'none'));
    s.room.start();
    await until('link to B', () => s.peers.length === 1);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).not.toContain('connected');
    s.peers[0]!.open();
    // No await between the open and this check: the callback ran inside the change.
    expect(seen.at(-1)).toBe('connected');
    expect(hook.state().peers[0]).toMatchObject({ id: B, name: 'Bea', conn: 'connected' });
    off();
    const count = seen.length;
    s.peers[0]!.fail();
    expect(hook.state().peers[0]?.conn).not.toBe('connected');
    expect(seen).toHaveLength(count);
  });
});
