/**
 * Signaling without WebSocket: a server that refuses WebSocket upgrades (SOCKET_TRANSPORTS=polling,
 * as behind a proxy that cannot pass them). The browser client, which tries WebSocket first, falls
 * back to HTTP long-polling; the call still connects and chat flows over the data channel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, ctx, poll, roomName, waitConnected } from '../support/e2e.js';
import { Netns } from '../support/netns.js';
import { type ServerHandle, startServer } from '../support/server.js';

describe('signaling over long-polling only', () => {
  const suite = browserSuite();
  let server: ServerHandle | null = null;
  beforeAll(async () => {
    const name = ctx().ns;
    server = await startServer({ env: { ...ctx().serverEnv, SOCKET_TRANSPORTS: 'polling' }, ns: name ? Netns.open(name) : null });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('completes a call when the WebSocket upgrade is refused', async () => {
    const base = `http://127.0.0.1:${server!.port}`;
    // The refusal is real: the server answers the upgrade request with an HTTP error.
    const upgrade = await fetch(`${base}/socket.io/?EIO=4&transport=websocket`, { headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } }).catch((e: Error) => e);
    if (!(upgrade instanceof Error)) expect(upgrade.status).toBeGreaterThanOrEqual(400);

    const room = roomName('polling');
    const alice = await suite.open(room, 'Alice', { baseUrl: base });
    const bob = await suite.open(room, 'Bob', { baseUrl: base });
    await waitConnected(alice, 1);
    await waitConnected(bob, 1);
    for (const c of [alice, bob]) expect((await c.state()).signaling.transport).toBe('polling');

    await alice.page.fill('[data-testid=chat-input]', 'over polling');
    await alice.page.click('[data-testid=chat-send]');
    await poll('the message at bob', async () => (await bob.state()).chat.some((m) => m.text === 'over polling' && !m.self));
  }, 90_000);
});
