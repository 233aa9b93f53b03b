/** Two pages in one room: data-channel chat both ways, path reported as direct. */
import { describe, expect, it } from 'vitest';
import { browserSuite, ctx, poll, roomName, waitConnected, waitPath } from '../support/e2e.js';

describe('two peers', () => {
  const suite = browserSuite();

  it('chat over the data channel both ways, and the path is direct', async () => {
    const room = roomName('chat');
    const alice = await suite.open(room, 'Alice');
    const bob = await suite.open(room, 'Bob');
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
  }, 150_000);

  it('the start page creates a room; its link joins at once', async () => {
    const { page, close } = await (async () => {
      const context = await suite.browser.newContext();
      const page = await context.newPage();
      await page.goto(`${ctx().baseUrl}/`);
      return { page, close: () => context.close() };
    })();
    try {
      await page.fill('[data-testid=name-input]', 'Starter');
      await page.click('[data-testid=create-room]');
      await page.waitForURL(/\/r\/[A-Za-z0-9_-]+/);
      const state = () => page.evaluate(() => (window as unknown as { switchboard: { state(): { status: string; name: string; room: string } } }).switchboard.state());
      const s = await poll('joined the new room', async () => {
        const st = await state();
        return st.status === 'joined' ? st : null;
      });
      expect(s.name).toBe('Starter');
      expect(new URL(page.url()).pathname).toBe(`/r/${s.room}`);
      expect(await page.textContent('[data-testid=room-name]')).toBe(s.room);
      // A second page on the same link (what "Copy link" shares) joins without any click.
      const other = await suite.open(s.room, 'Linked');
      await waitConnected(other, 1);
    } finally {
      await close();
    }
  }, 150_000);
});
