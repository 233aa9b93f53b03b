/**
 * The ends of a file transfer (transfer.ts): where the bytes come from (a Blob, or bytes in
 * memory) and where received ones go (Blobs rolled every few MB, off the JS heap), and the rate
 * meter both sides show. No DOM beyond Blob.
 */

export interface FileSource {
  readonly name: string;
  readonly size: number;
  readonly type: string;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface ChunkSink {
  append(chunk: Uint8Array): void;
  /** The received file (a Blob in the browser). */
  finish(mime: string): Blob;
  /** The transfer ended without a file (failed, cancelled): let go of what was received. */
  discard(): void;
}

/** Rate over a sliding window of (time, bytes) samples. */
export class RateMeter {
  private samples: Array<[number, number]> = [];
  constructor(private readonly windowMs = 2000) {}
  add(t: number, total: number): number {
    this.samples.push([t, total]);
    while (this.samples.length > 2 && t - this.samples[0]![0] > this.windowMs) this.samples.shift();
    const [t0, b0] = this.samples[0]!;
    return t > t0 ? ((total - b0) * 1000) / (t - t0) : 0;
  }
}

/** Collects chunks without holding them on the JS heap: rolls them into Blobs every few MB. */
export class BlobListSink implements ChunkSink {
  private blobs: Blob[] = [];
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  constructor(private readonly every: number) {}
  append(chunk: Uint8Array): void {
    this.pending.push(chunk); // a view into its own message buffer; the Blob copies it out
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= this.every) this.flush();
  }
  finish(mime: string): Blob {
    this.flush();
    return new Blob(this.blobs, { type: mime });
  }
  discard(): void {
    this.blobs = [];
    this.pending = [];
    this.pendingBytes = 0;
  }
  private flush(): void {
    if (this.pending.length) this.blobs.push(new Blob(this.pending as BlobPart[]));
    this.pending = [];
    this.pendingBytes = 0;
  }
}

export function blobSource(file: Blob & { name?: string }): FileSource {
  return {
    name: file.name ?? 'file',
    size: file.size,
    type: file.type || 'application/octet-stream',
    read: async (offset, length) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
  };
}
