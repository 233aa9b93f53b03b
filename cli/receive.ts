/** `switchboard receive`: the first file any peer sends, written to `--out` once its SHA-256 verified. */
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileTransfer } from '../web/src/core/index.js';
import type { PeerArgs } from './args.js';
import { CliError, joinAsPeer } from './peer.js';
import { Progress } from './progress.js';

/**
 * The sender chooses the name: only its last path segment is used, without control characters,
 * and never `.`/`..` or an existing file's name (a number is added instead of overwriting).
 */
export function safeName(dir: string, name: string): string {
  let base = name.split(/[/\\]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (base === '' || base === '.' || base === '..') base = 'received-file';
  const dot = base.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [base.slice(0, dot), base.slice(dot)] : [base, ''];
  for (let i = 0; ; i++) {
    const candidate = join(dir, i === 0 ? base : `${stem} (${i})${ext}`);
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
    const got = await new Promise<{ t: FileTransfer; blob: Blob }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new CliError(`no file came within ${a.waitMs / 1000} s`)), a.waitMs);
      room.on('file-offer', (t) => {
        clearTimeout(timer); // a transfer under way may take longer than the wait for it
        log(`receiving ${t.name} (${t.size} bytes) from ${room.peer(t.peerId)?.name || t.peerId}`);
      });
      room.on('file-progress', (t) => {
        if (t.direction !== 'in') return;
        progress.update(t);
        if (t.state === 'failed' || t.state === 'cancelled') reject(new CliError(`transfer failed: ${t.error ?? t.state}`));
      });
      room.on('file-received', (t, blob) => resolve({ t, blob }));
    });
    progress.done();
    if (!got.t.verified) throw new CliError(`${got.t.name}: SHA-256 mismatch, not saved`);
    const path = safeName(out, got.t.name);
    await pipeline(Readable.fromWeb(got.blob.stream() as never), createWriteStream(path, { flags: 'wx' }));
    log(`received ${got.t.name} -> ${path}: ${got.t.size} bytes via ${room.peer(got.t.peerId)?.path ?? 'unknown'} path, SHA-256 ${got.t.sha256} verified`);
    return path;
  } finally {
    room.leave();
  }
}
