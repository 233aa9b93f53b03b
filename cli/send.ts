/** `switchboard send <file>`: to the first peer that connects, then waits for its SHA-256 verdict. */
import { openAsBlob, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { FileTransfer } from '../web/src/core/index.js';
import type { PeerArgs } from './args.js';
import { CliError, firstConnectedPeer, joinAsPeer, pathTo } from './peer.js';
import { printable } from './printable.js';
import { Progress } from './progress.js';

export async function send(file: string, a: PeerArgs, log: (line: string) => void): Promise<void> {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new CliError(`${file} is not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  // A Blob backed by the file: read in chunks as the channel drains, never whole in memory.
  const blob = new File([await openAsBlob(file)], basename(file), { type: 'application/octet-stream' });
  const room = await joinAsPeer(a);
  try {
    const peer = await firstConnectedPeer(room, a);
    log(`sending ${basename(file)} (${size} bytes) to ${printable(peer.name || peer.id)} (${peer.path === 'unknown' ? 'path unknown yet' : peer.path})`);
    const progress = new Progress();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const result = new Promise<FileTransfer>((resolve, reject) => {
      // Between two acknowledgements of the receiver (and for its verdict): `--wait` at most.
      const stalled = () => {
        clearTimeout(timer);
        timer = setTimeout(() => reject(new CliError(`the receiver stopped answering: nothing for ${a.waitMs / 1000} s`)), a.waitMs);
      };
      stalled();
      room.on('file-progress', (t) => {
        if (t.direction !== 'out' || t.peerId !== peer.id) return;
        stalled();
        progress.update(t);
        if (t.state === 'done' || t.state === 'failed' || t.state === 'cancelled') resolve(t);
      });
      room.on('peer-left', (p) => p.id === peer.id && resolve({ state: 'failed', error: 'the receiver left' } as FileTransfer));
    });
    void result.catch(() => undefined); // awaited below; may settle while the file is still being read
    await room.sendFile(blob, { to: peer.id });
    const t = await result.finally(() => clearTimeout(timer));
    progress.done();
    if (t.state !== 'done' || !t.verified) throw new CliError(`transfer failed: ${printable(t.error ?? t.state)}`);
    log(`sent ${t.name}: ${t.size} bytes via ${await pathTo(room, peer.id)} path, SHA-256 ${t.sha256} verified by the receiver`);
  } finally {
    room.leave();
  }
}
