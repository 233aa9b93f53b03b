/** The app's file queue: one file at a time, in order; a refusal is kept on its entry, the rest go on. */
import { describe, expect, it } from 'vitest';
import { FileQueue } from '../../web/src/ui/file-queue.js';

describe('FileQueue', () => {
  it('sends one file at a time, in the order added; a failure stays listed and the next goes on', async () => {
    const calls: string[] = [];
    let release: (() => void) | null = null;
    let changes = 0;
    const q = new FileQueue((file) => {
      calls.push(file.name);
      if (file.name === 'bad.txt') return Promise.reject(new Error('no peer is connected'));
      return new Promise((r) => (release = () => r([])));
    }, () => changes++);
    q.add([new File(['a'], 'a.txt'), new File(['b'], 'bad.txt'), new File(['c'], 'c.txt')], 'peer-1');
    expect(calls).toEqual(['a.txt']);
    expect(q.items.map((i) => [i.file.name, i.state, i.to])).toEqual([['a.txt', 'sending', 'peer-1'], ['bad.txt', 'queued', 'peer-1'], ['c.txt', 'queued', 'peer-1']]);
    expect(q.current?.file.name).toBe('a.txt');
    q.remove(q.items[0]!.id); // the file being sent is not taken off
    expect(q.items).toHaveLength(3);
    release!();
    await expect.poll(() => calls).toEqual(['a.txt', 'bad.txt', 'c.txt']);
    expect(q.items.map((i) => [i.file.name, i.state, i.error])).toEqual([['bad.txt', 'failed', 'no peer is connected'], ['c.txt', 'sending', null]]);
    release!();
    await expect.poll(() => q.items.length).toBe(1);
    q.remove(q.items[0]!.id);
    expect(q.items).toEqual([]);
    expect(changes).toBeGreaterThan(4);
  });
});
