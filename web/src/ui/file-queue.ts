/**
 * Files waiting to be sent: dropped or picked several at once, they go one after another (each to
 * its targets), so the first arrives as soon as it can instead of all of them sharing the
 * channel and finishing together at the end. No DOM: the panel renders `items`.
 */
import type { FileTransfer } from 'switchboard/client';

export interface QueuedFile {
  /** Unique in this page. */
  id: number;
  file: File;
  /** A peer id, or undefined for everyone connected. */
  to: string | undefined;
  state: 'queued' | 'sending' | 'failed';
  error: string | null;
}

/** What the queue calls to send one file (Room.sendFile); resolves when its last chunk was handed over. */
export type SendOne = (file: File, to: string | undefined) => Promise<FileTransfer[]>;

/** Failed entries kept for the user to read (older ones drop off). */
const FAILED_KEPT = 20;

export class FileQueue {
  private readonly list: QueuedFile[] = [];
  private seq = 0;
  private running = false;

  constructor(
    private readonly send: SendOne,
    private readonly changed: () => void,
  ) {}

  /** Waiting, being handed to the channel, and failed files, in the order they were added. */
  get items(): readonly QueuedFile[] {
    return this.list;
  }

  /** The file being sent now, if any. */
  get current(): QueuedFile | null {
    return this.list.find((q) => q.state === 'sending') ?? null;
  }

  add(files: Iterable<File>, to?: string): QueuedFile[] {
    const added = [...files].map((file): QueuedFile => ({ id: ++this.seq, file, to, state: 'queued', error: null }));
    this.list.push(...added);
    this.changed();
    void this.run();
    return added;
  }

  /** Takes a waiting or failed file off the list (a file being sent is cancelled through its transfer). */
  remove(id: number): void {
    const i = this.list.findIndex((q) => q.id === id && q.state !== 'sending');
    if (i < 0) return;
    this.list.splice(i, 1);
    this.changed();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.list.find((q) => q.state === 'queued'); next; next = this.list.find((q) => q.state === 'queued')) {
        next.state = 'sending';
        this.changed();
        try {
          await this.send(next.file, next.to);
          this.list.splice(this.list.indexOf(next), 1);
        } catch (err) {
          // The peer left, nobody is connected, a name the receiver would refuse: said on its row.
          next.state = 'failed';
          next.error = err instanceof Error ? err.message : String(err);
          const failed = this.list.filter((q) => q.state === 'failed');
          if (failed.length > FAILED_KEPT) this.list.splice(this.list.indexOf(failed[0]!), 1);
        }
        this.changed();
      }
    } finally {
      this.running = false;
    }
  }
}
