/** `switchboard receive`: the first file any peer sends, written to `--out` once its SHA-256 verified. */
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileTransfer } from '../web/src/core/index.js';
import type { PeerArgs } from './args.js';
import { CliError, joinAsPeer, pathTo } from './peer.js';
import { printable } from './printable.js';
import { Progress } from './progress.js';

/**
 * The sender chooses the name: only its last path segment is used, without control characters,
 * and never `.`/`..` or an existing file's name (a number is added instead of overwriting).
 */
export function safeName(dir: string, name: string): string {
  let base = printable(name.split(/[/\\]/).pop()!).trim();
  if (base === '' || base === '.' || base === '..') base = 'received-file';
  const dot = base.lastIndexOf('.');
  let [stem, ext] = dot > 0 ? [base.slice(0, dot), base.slice(dot)] : [base, ''];
  // File systems take names of 255 bytes: keep the extension, shorten the rest (in UTF-8 bytes).
  if (Buffer.byteLength(ext) > 32) ext = '';
  while (Buffer.byteLength(stem) + Buffer.byteLength(ext) > 200) stem = [...stem].slice(0, -1).join('');
  for (let i = 0; ; i++) {
    const candidate = join(dir, i === 0 ? `${stem}${ext}` : `${stem} (${i})${ext}`);
    if (!existsSync(candidate)) return candidate;
  }
}

export async function receive(out: string, a: PeerArgs, log: (line: string) => void): Promise<string> {
  try {
    mkdirSync(out, { recursive: true });
    if (!statSync(out).isDirectory()) throw new Error('not a directory');
  } catch (err) {
    throw new CliError(`cannot write to ${out}: ${(err as Error).message}`);
  }
  const room = await joinAsPeer(a);
  try {
    log(`waiting in room ${room.id} for a file`);
    const progress = new Progress();
    let path: string | null = null;
    const got = await new Promise<{ t: FileTransfer; blob: Blob }>((resolve, reject) => {
      // Until a file comes, then between two pieces of it: `--wait` at most each time.
      let timer = setTimeout(() => reject(new CliError(`no file came within ${a.waitMs / 1000} s`)), a.waitMs);
      const stalled = () => {
        clearTimeout(timer);
        timer = setTimeout(() => reject(new CliError(`the transfer stalled: nothing for ${a.waitMs / 1000} s`)), a.waitMs);
      };
      let key: string | null = null; // the first file offered; others are not ours to take
      room.on('file-offer', (t) => {
        if (key !== null) return;
        key = t.key;
        stalled();
        log(`receiving ${printable(t.name)} (${t.size} bytes) from ${printable(room.peer(t.peerId)?.name || t.peerId)}`);
      });
      room.on('file-progress', (t) => {
        if (t.key !== key) return;
        stalled();
        const p = room.peer(t.peerId)?.path; // the sender may leave as soon as it has the verdict
        if (p && p !== 'unknown') path = p;
        progress.update(t);
        if (t.state === 'failed' || t.state === 'cancelled') reject(new CliError(`transfer failed: ${printable(t.error ?? t.state)}`));
      });
      room.on('file-received', (t, blob) => t.key === key && (clearTimeout(timer), resolve({ t, blob })));
    });
    progress.done();
    if (!got.t.verified) throw new CliError(`${printable(got.t.name)}: SHA-256 mismatch, not saved`);
    const file = safeName(out, got.t.name);
    await pipeline(Readable.fromWeb(got.blob.stream() as never), createWriteStream(file, { flags: 'wx' }));
    log(`received ${printable(got.t.name)} -> ${file}: ${got.t.size} bytes via ${path ?? (await pathTo(room, got.t.peerId))} path, SHA-256 ${got.t.sha256} verified`);
    return file;
  } finally {
    room.leave();
  }
}
