/** Three peers: full mesh; a fourth page over ROOM_CAPACITY=3 is told the room is full. */
import { describe, expect, it } from 'vitest';
import { browserSuite, openRoom, poll, roomName, waitConnected } from '../support/e2e.js';

describe('mesh', () => {
  const suite = browserSuite();
  const { clients } = suite;

  it('three peers see each other (data and video); a fourth sees "room full"; a leaver is reported', async () => {
    const room = roomName('mesh');
    const names = ['Ann', 'Ben', 'Cat'];
    for (const n of names) await suite.open(room, n);
    const states = [];
    for (const c of clients) states.push(await waitConnected(c, 2));
    await poll('three rows with paths', async () => (await clients[0]!.page.locator('[data-testid=peer-path]').count()) === 2);
    await clients[0]!.page.screenshot({ path: 'test-results/mesh.png' });
    const ids = states.map((s) => s.selfId!);
    expect(new Set(ids).size).toBe(3);
    states.forEach((s, i) => {
      expect(s.capacity).toBe(3);
      expect(s.peers.map((p) => p.id).sort()).toEqual(ids.filter((_, j) => j !== i).sort());
    });
    await poll('names over the data channel', async () => {
      const s = await clients[0]!.state();
      return s.peers.map((p) => p.name).sort().join() === 'Ben,Cat';
    });

    // Video in the full mesh: everyone decodes both others, a tile each.
    for (const c of clients) await c.page.click('[data-testid=start-call]');
    for (const c of clients) {
      // Three pages encoding and decoding two video streams each on 2 cores, while the rest of the
      // suite runs: 10 s alone, 20-30 s next to the unit tests, and this VM's speed drifts by up
      // to 2x. The timeout is for a stalled negotiation, not a slow machine; the state on failure
      // tells which.
      await poll('frames from both peers', async () => {
        const s = await c.state();
        return s.call.inCall && s.peers.length === 2 && s.peers.every((p) => p.framesDecoded > 0 && p.hasStream);
      }, 90_000).catch(async (err: Error) => {
        const st = await c.state();
        throw new Error(`${err.message}\ncall: ${JSON.stringify(st.call)}\n${JSON.stringify(st.peers.map((p) => ({ name: p.name, conn: p.conn, hasStream: p.hasStream, media: p.media, frames: p.framesDecoded })))}\nprotocol errors: ${JSON.stringify(st.protocolErrors ?? [])}`);
      });
      await poll('three tiles', async () => (await c.page.locator('[data-testid=video-tile]').count()) === 3, 20_000).catch(async (err: Error) => {
        const st = await c.state();
        throw new Error(`${err.message}\ncall: ${JSON.stringify(st.call)}\n${JSON.stringify(st.peers.map((p) => ({ name: p.name, hasStream: p.hasStream, media: p.media, frames: p.framesDecoded })))}`);
      });
    }
    await clients[0]!.page.screenshot({ path: 'test-results/mesh-video.png' });

    // Not in `clients`: Dan never joins, and is closed below.
    const dan = await openRoom(suite.browser, room, 'Dan');
    const full = await poll('room full', async () => {
      const s = await dan.state();
      return s.status === 'room-full' ? s : null;
    });
    expect(full.peers).toEqual([]);
    await poll('room-full banner', async () => /room is full/i.test((await dan.page.textContent('[data-testid=banner]')) ?? ''));
    await dan.page.screenshot({ path: 'test-results/room-full.png' });
    await dan.close();

    // Cat leaves (closes the page): the others see "left" and drop her.
    await clients[2]!.close();
    clients.pop();
    for (const c of clients) {
      await poll('peer left', async () => {
        const s = await c.state();
        return s.peers.length === 1 && s.departed.some((d) => d.name === 'Cat');
      }, 20_000);
    }
  }, 200_000);
});
