/** Two pages in one room: data-channel chat both ways, path reported as direct. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, launch, openRoom, poll, roomName, waitConnected, waitPath } from '../support/e2e.js';

describe('two peers', () => {
  let browser: Browser;
  const clients: Client[] = [];
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    await browser?.close();
  });

  it('chat over the data channel both ways, and the path is direct', async () => {
    const room = roomName('chat');
    const alice = await openRoom(browser, room, 'Alice');
    clients.push(alice);
    const bob = await openRoom(browser, room, 'Bob');
    clients.push(bob);
    await waitConnected(alice, 1);
    await waitConnected(bob, 1);

    await alice.page.fill('[data-testid=chat-input]', 'hello from alice');
    await alice.page.click('[data-testid=chat-send]');
    await bob.page.fill('[data-testid=chat-input]', 'hi alice, bob here');
    await bob.page.press('[data-testid=chat-input]', 'Enter');

    await poll('bob receives alice', async () => (await bob.state()).chat.some((m) => !m.self && m.text === 'hello from alice' && m.name === 'Alice'));
    await poll('alice receives bob', async () => (await alice.state()).chat.some((m) => !m.self && m.text === 'hi alice, bob here' && m.name === 'Bob'));
    await poll('message shown', async () => (await bob.page.locator('[data-testid=chat-message]', { hasText: 'hello from alice' }).count()) === 1);

    for (const c of [alice, bob]) {
      const s = await waitPath(c);
      expect(s.peers[0]!.path).toBe('direct');
      expect(['host', 'srflx', 'prflx']).toContain(s.peers[0]!.localType);
      expect(['host', 'srflx', 'prflx']).toContain(s.peers[0]!.remoteType);
    }
    // The page shows it too.
    await poll('path badge', async () => (await alice.page.locator('[data-testid=peer-path]').textContent()) === 'Direct');
  });
});
