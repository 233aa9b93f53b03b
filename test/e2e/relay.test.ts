/** Relay only (`?relay=1`): the call goes through the bundled TURN relay, and its stats show it. */
import { describe, expect, it } from 'vitest';
import { browserSuite, ctx, poll, roomName, waitConnected } from '../support/e2e.js';

interface RelayStats { allocations: number; bytesToPeers: number; bytesToClients: number; allocationsTotal: number }

describe('relay only', () => {
  const suite = browserSuite();

  it('connects through the embedded TURN relay with ?relay=1', async () => {
    const { relayError, turn } = ctx();
    if (relayError || !turn) throw new Error(`the embedded TURN relay is not running, so the relay path cannot be tested:\n${relayError ?? 'the server logged turn: null'}`);
    const room = roomName('relay');
    const alice = await suite.open(room, 'Alice', { query: 'relay=1' });
    const bob = await suite.open(room, 'Bob', { query: 'relay=1' });
    await waitConnected(alice, 1, 30_000);
    await waitConnected(bob, 1, 30_000);
    expect((await alice.state()).relayOnly).toBe(true);
    expect(await alice.page.isChecked('[data-testid=relay-only]')).toBe(true);

    for (const c of [alice, bob]) {
      const s = await poll('relayed path', async () => {
        const st = await c.state();
        return st.peers[0]?.path === 'relay' ? st : null;
      });
      expect(s.peers[0]!.localType).toBe('relay');
    }
    await alice.page.fill('[data-testid=chat-input]', 'through the relay');
    await alice.page.click('[data-testid=chat-send]');
    await poll('chat over the relay', async () => (await bob.state()).chat.some((m) => m.text === 'through the relay'));

    const stats = await poll('relay stats with traffic', async () => {
      const s = await alice.page.evaluate(() => fetch('/api/stats').then((r) => r.json()) as Promise<{ relay: RelayStats | null }>);
      return s.relay && s.relay.allocations >= 1 && s.relay.bytesToPeers > 0 && s.relay.bytesToClients > 0 ? s.relay : null;
    });
    expect(stats.allocations).toBeGreaterThanOrEqual(1);
  }, 150_000);

  it('the relay-only switch replaces a direct connection with a relayed one', async () => {
    const { relayError, turn } = ctx();
    if (relayError || !turn) throw new Error(`the embedded TURN relay is not running:\n${relayError ?? 'turn: null'}`);
    const room = roomName('switch');
    const alice = await suite.open(room, 'Alice');
    const bob = await suite.open(room, 'Bob');
    await waitConnected(alice, 1);
    await waitConnected(bob, 1);
    await poll('direct first', async () => (await alice.state()).peers[0]?.path === 'direct');
    // Alice waited for Bob's offer (Bob is the newcomer): she asks him to start over.
    const before = (await alice.state()).peers[0]!.generation;
    await alice.page.click('[data-testid=relay-only]');
    const s = await poll('relayed after the switch', async () => {
      const st = await alice.state();
      const p = st.peers[0];
      return p && p.conn === 'connected' && p.generation !== before && p.localType === 'relay' ? st : null;
    }, 30_000);
    expect(s.relayOnly).toBe(true);
    await bob.page.fill('[data-testid=chat-input]', 'after the switch');
    await bob.page.click('[data-testid=chat-send]');
    await poll('chat after the switch', async () => (await alice.state()).chat.some((m) => m.text === 'after the switch'));
  }, 150_000);
});
