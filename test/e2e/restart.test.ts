/**
 * The signaling server restarts mid-call (same port): the data channel keeps delivering while it is
 * down, clients rejoin with resume, the roster converges without duplicates, and a new peer can
 * still join afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Netns } from '../support/netns.js';
import { type ServerHandle, startServer } from '../support/server.js';
import { browserSuite, ctx, poll, roomName, waitConnected } from '../support/e2e.js';

describe('server restart', () => {
  const suite = browserSuite({ checkProtocol: false });
  let server: ServerHandle | null = null;
  const ns = (): Netns | null => {
    const name = ctx().ns;
    return name ? Netns.open(name) : null;
  };

  beforeAll(async () => {
    server = await startServer({ env: { ...ctx().serverEnv }, ns: ns() });
  });
  afterAll(async () => {
    await server?.stop();
  }, 150_000);

  it('keeps calls up, rejoins with resume, and admits a newcomer afterwards', async () => {
    const base = `http://127.0.0.1:${server!.port}`;
    const room = roomName('restart');
    const alice = await suite.open(room, 'Alice', { baseUrl: base });
    const bob = await suite.open(room, 'Bob', { baseUrl: base });
    const a0 = await waitConnected(alice, 1);
    const b0 = await waitConnected(bob, 1);

    const port = server!.port;
    expect(await server!.stop()).toBe(0);
    server = null;
    await poll('both notice the server is gone', async () => (await alice.state()).status === 'reconnecting' && (await bob.state()).status === 'reconnecting');
    await poll('reconnecting banner', async () => (await alice.page.textContent('[data-testid=banner]'))?.includes('Reconnecting'));

    // No server: chat still flows peer to peer.
    await alice.page.fill('[data-testid=chat-input]', 'server is down, still here');
    await alice.page.click('[data-testid=chat-send]');
    await poll('chat while the server is down', async () => (await bob.state()).chat.some((m) => m.text === 'server is down, still here'));

    server = await startServer({ env: { ...ctx().serverEnv, PORT: String(port) }, ns: ns() });
    for (const [c, s0] of [[alice, a0], [bob, b0]] as const) {
      const s = await poll('rejoined with the same id', async () => {
        const st = await c.state();
        return st.status === 'joined' && st.signaling.connects >= 2 ? st : null;
      }, 20_000);
      expect(s.selfId).toBe(s0.selfId);
      expect(s.resumes).toBeGreaterThanOrEqual(1);
      expect(s.peers).toHaveLength(1);
      expect(s.peers[0]).toMatchObject({ id: s0.peers[0]!.id, conn: 'connected', generation: s0.peers[0]!.generation });
    }

    const carol = await suite.open(room, 'Carol', { baseUrl: base });
    await waitConnected(carol, 2);
    for (const c of [alice, bob]) {
      const s = await waitConnected(c, 2);
      expect(new Set(s.peers.map((p) => p.id)).size).toBe(2);
    }
    await bob.page.fill('[data-testid=chat-input]', 'welcome carol');
    await bob.page.click('[data-testid=chat-send]');
    await poll('carol gets chat', async () => (await carol.state()).chat.some((m) => m.text === 'welcome carol'));
  }, 150_000);
});
