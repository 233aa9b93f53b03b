/**
 * The soak's signals: valid offer / answer / ICE candidate payloads (what simple-peer sends) that
 * carry their own sequence number and their sender and recipient, so a receiver can prove each
 * one arrived intact and at the right peer without asking the sender; and the ledger that proves
 * none went missing: every signal the server acknowledged for a recipient whose socket stayed up
 * must have reached that socket.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, SignalData } from '../../server/protocol/index.js';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
export type SignalKind = 'offer' | 'answer' | 'candidate';

/** Every wait on the server is bounded: an ack later than this is a failure of the run. */
export const ACK_MS = 10_000;

/**
 * The payload of signal `seq` from `from` to `to`. The SDP's `o=` line and the candidate's
 * foundation carry `seq`; the SDP's session name and the candidate's ufrag carry both peer ids.
 */
export function signalPayload(kind: SignalKind, seq: number, from: string, to: string): SignalData {
  if (kind !== 'candidate') return { type: kind, sdp: `v=0\r\no=- ${seq} 2 IN IP4 127.0.0.1\r\ns=${from}>${to}\r\nt=0 0\r\n` };
  const candidate = `candidate:${seq} 1 udp 2122260223 192.0.2.${(seq % 254) + 1} ${1024 + (seq % 60_000)} typ host`;
  return { type: 'candidate', candidate: { candidate, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: `${from}>${to}` } };
}

/**
 * What is wrong with signal `data` that `self` received from `from`, or undefined when it is
 * exactly what the soak sent (so the server relayed it unchanged, from the right peer, to the
 * right one). Also returns its sequence number and kind.
 */
export function checkSignal(data: unknown, from: string, self: string): { seq: number; kind: SignalKind } | { wrong: string } {
  const d = data as { type?: unknown; sdp?: unknown; candidate?: { candidate?: unknown } };
  const text = d?.type === 'candidate' ? d.candidate?.candidate : d?.sdp;
  const m = typeof text === 'string' ? /^(?:candidate:|v=0\r\no=- )(\d+) /.exec(text) : null;
  if (!m || (d.type !== 'offer' && d.type !== 'answer' && d.type !== 'candidate')) return { wrong: `a signal the soak did not send: ${JSON.stringify(data).slice(0, 200)}` };
  const seq = Number(m[1]);
  if (!isDeepStrictEqual(data, signalPayload(d.type, seq, from, self))) {
    return { wrong: `signal ${seq} changed on the way or reached the wrong peer (${self} got it from ${from}): ${JSON.stringify(data).slice(0, 200)}` };
  }
  return { seq, kind: d.type };
}

interface Entry {
  /** The recipient's socket when it was sent, if the soak had it in the sender's room then; else undefined (delivery not owed). */
  target: Client | undefined;
  acked: boolean;
  received: boolean;
}

/** Counters the ledger keeps (part of the soak's figures). */
export interface SignalCounts {
  signalsSent: number;
  signalsAcked: number;
  signalsDelivered: number;
  /** Answered `unknown-peer`: the recipient had left (the sender's view lagged behind). */
  signalsRefused: number;
  /** No answer because the soak dropped the sender's socket before it came. */
  signalsUnanswered: number;
}

/**
 * Signals in flight. An entry lives from the send until its ack and, when delivery is owed, its
 * receipt (or the recipient's socket going away): so the map holds only what is in flight, however
 * long the soak runs.
 */
export class SignalLedger {
  readonly counts: SignalCounts = { signalsSent: 0, signalsAcked: 0, signalsDelivered: 0, signalsRefused: 0, signalsUnanswered: 0 };
  private seq = 0;
  private readonly open = new Map<number, Entry>();

  constructor(
    private readonly problem: (what: string) => void,
    private readonly refused: (code: string) => void,
  ) {}

  /**
   * Sends signal `kind` from `sender` (its socket and peer id) to peer `to`; `target` is the socket
   * the soak knows `to` is connected with in the sender's room, if any. Resolves when answered.
   */
  async send(sender: { socket: Client; peerId: string }, to: string, kind: SignalKind, target: Client | undefined): Promise<void> {
    const seq = ++this.seq;
    const entry: Entry = { target, acked: false, received: false };
    this.open.set(seq, entry);
    this.counts.signalsSent++;
    let ack;
    try {
      ack = await sender.socket.timeout(ACK_MS).emitWithAck('signal', { to, data: signalPayload(kind, seq, sender.peerId, to) });
    } catch (err) {
      this.open.delete(seq);
      if (!sender.socket.connected) this.counts.signalsUnanswered++;
      else this.problem(`signal ${seq} from ${sender.peerId} to ${to}: no answer within ${ACK_MS} ms on a live socket (${String(err)})`);
      return;
    }
    if (!ack.ok) {
      this.open.delete(seq);
      if (ack.error.code === 'unknown-peer') this.counts.signalsRefused++;
      else this.refused(ack.error.code);
      if (entry.received) this.problem(`signal ${seq} to ${to} was delivered but answered ${ack.error.code}`);
      return;
    }
    this.counts.signalsAcked++;
    entry.acked = true;
    if (entry.received || !entry.target) this.open.delete(seq);
  }

  /** Signal `seq` reached its recipient (already checked intact by {@link checkSignal}). */
  delivered(seq: number): void {
    this.counts.signalsDelivered++;
    const entry = this.open.get(seq);
    if (!entry) return; // its recipient resumed on a new socket, or its ack came first: nothing owed
    if (entry.received) this.problem(`signal ${seq} delivered twice`);
    entry.received = true;
    if (entry.acked) this.open.delete(seq);
  }

  /** The soak closed `socket`: what was sent to it is no longer owed. */
  socketGone(socket: Client): void {
    for (const [seq, entry] of this.open) {
      if (entry.target !== socket) continue;
      entry.target = undefined;
      if (entry.acked) this.open.delete(seq);
    }
  }

  /** Acknowledged signals never delivered to a recipient whose socket is still up (call once quiet). */
  lost(): number[] {
    return [...this.open].filter(([, e]) => e.acked && e.target?.connected).map(([seq]) => seq);
  }

  /** Signals sent and not yet answered. */
  get inFlight(): number {
    return this.open.size;
  }
}
