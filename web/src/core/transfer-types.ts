/** The shapes of file transfers (transfer.ts): the channel they use, their snapshots and options. */
import { CHUNK_HEADER } from './framing.js';

export interface ChannelLike {
  readonly open: boolean;
  readonly bufferedAmount: number;
  send(data: string | Uint8Array): void;
  /** Resolves once bufferedAmount has dropped to the channel's low threshold, or it closed. */
  waitForLow(): Promise<void>;
}

/**
 * Where a transfer stands: `sending` / `receiving` (bytes flowing), `verifying` (the sender sent
 * everything and waits for the receiver's SHA-256 verdict), `paused` (the connection to the peer
 * was lost: it continues from what the receiver has once a connection is back, within the
 * room's `transferResumeWindowMs`), `done` (verified), `failed` (lost connection for longer than
 * that, hash mismatch, a refusal), `cancelled` (by either side).
 */
export type TransferState = 'sending' | 'receiving' | 'verifying' | 'paused' | 'done' | 'failed' | 'cancelled';

/** A file being sent or received, as a snapshot. */
export interface FileTransfer {
  /** Identifies the transfer in this room (`Room.cancelTransfer(key)`). */
  key: string;
  /** The transfer's id on the data channel (chosen by the sender). */
  id: number;
  /** The other side. */
  peerId: string;
  /** `out`: this side sends; `in`: this side receives. */
  direction: 'out' | 'in';
  /** The file's name, as the sender gave it. */
  name: string;
  /** Size in bytes. */
  size: number;
  /** MIME type (`application/octet-stream` when unknown). */
  mime: string;
  /** Sender: bytes the receiver confirmed. Receiver: bytes received. */
  transferred: number;
  /** Bytes per second over the last ~2 seconds. */
  rateBps: number;
  state: TransferState;
  /** Hex SHA-256: the sender's hash of what it sent, or the receiver's hash of what arrived. */
  sha256?: string;
  /** Receiver: true when its hash matched the sender's. Sender: the receiver's verdict. */
  verified?: boolean;
  /** Why it failed or was cancelled. */
  error?: string;
  /** When it started, ms since the epoch. */
  startedAt: number;
  /** When it ended, ms since the epoch. */
  finishedAt?: number;
}

/** The name the transfer code uses. */
export type TransferInfo = FileTransfer;

export interface TransferOptions {
  /** Payload bytes per data-channel message (plus a 5-byte header). */
  chunkSize: number;
  /** Bytes read from the file at a time. */
  readSize: number;
  /** Pause sending while the channel buffers more than this. */
  highWater: number;
  /** Receiver acknowledges progress every this many bytes. */
  ackEvery: number;
  /** Receiver rolls buffered chunks into a Blob every this many bytes. */
  blobEvery: number;
  /** A transfer whose connection was lost waits this long for a new one (then fails); 0: fails at once. */
  resumeWindowMs: number;
  now: () => number;
}

/** Finished transfers a room keeps in its list (older ones are forgotten). */
export const FINISHED_MAX = 200;

export const DEFAULT_TRANSFER_OPTIONS: TransferOptions = {
  chunkSize: 64 * 1024 - CHUNK_HEADER,
  readSize: 1024 * 1024,
  highWater: 4 * 1024 * 1024,
  ackEvery: 512 * 1024,
  blobEvery: 4 * 1024 * 1024,
  resumeWindowMs: 30_000,
  now: () => Date.now(),
};
