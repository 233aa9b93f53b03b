/**
 * The signaling connection: a Socket.IO client with our own reconnect policy (Socket.IO's own
 * reconnection is off so the policy is one small function, see retry.ts), acks with timeouts, and
 * typed events. The socket is injected (`SocketLike`) so tests drive it with a fake.
 */
import type { ProtocolError } from '../../../server/protocol/errors.js';
import type { IceServersAck, JoinAck, PeerInfo } from '../../../server/protocol/events.js';
import type { JoinRequest, SignalData } from '../../../server/protocol/schemas.js';
import { Emitter } from './emitter.js';
import { RetryState, type RetryPolicy, signalingRetryPolicy } from './retry.js';

/** What we use of a socket.io-client Socket. */
export interface SocketLike {
  readonly connected: boolean;
  connect(): unknown;
  disconnect(): unknown;
  on(event: string, fn: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  emit(event: string, ...args: unknown[]): unknown;
}

export type SignalingStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'unreachable' | 'closed';

export interface SignalingEvents {
  status: [SignalingStatus];
  /** (Re)connected: the owner joins (or rejoins) its room now. */
  connected: [];
  /** The answer to a join sent in the connection handshake (see protocol/events.ts). */
  joined: [JoinAck];
  'peer-joined': [PeerInfo & { resumed: boolean }];
  'peer-left': [{ id: string }];
  signal: [{ from: string; data: SignalData }];
  'protocol-error': [ProtocolError & { event: string }];
  [k: string]: unknown[];
}

export const ACK_TIMEOUT_MS = 8000;

const timeoutError = (event: string, ms: number) => ({ ok: false as const, error: { code: 'unavailable' as const, message: `no answer to ${event} within ${ms} ms` } });

export class SignalingClient extends Emitter<SignalingEvents> {
  status: SignalingStatus = 'idle';
  /** Successful connects so far (1 after the first). */
  connects = 0;
  private everConnected = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly retry: RetryState;
  /** Set by `server-shutdown`: wait at least this long before reconnecting. */
  private minDelayMs = 0;

  constructor(
    private readonly socket: SocketLike,
    policy: RetryPolicy = signalingRetryPolicy,
  ) {
    super();
    this.retry = new RetryState(policy);
    socket.on('connect', () => {
      this.connects++;
      this.everConnected = true;
      this.retry.reset();
      this.minDelayMs = 0;
      this.setStatus('connected');
      this.emit('connected');
    });
    socket.on('disconnect', (reason: string) => {
      if (this.status === 'closed' || reason === 'io client disconnect') return;
      this.scheduleReconnect(reason);
    });
    socket.on('connect_error', (err: Error) => {
      if (this.status === 'closed') return;
      this.scheduleReconnect(err?.message ?? 'connect_error');
    });
    socket.on('server-shutdown', (m: { reconnectAfterMs?: number }) => {
      this.minDelayMs = Math.min(Math.max(0, Number(m?.reconnectAfterMs) || 0), 30_000);
    });
    socket.on('joined', (ack: JoinAck) => this.emit('joined', ack));
    socket.on('peer-joined', (p: PeerInfo & { resumed: boolean }) => this.emit('peer-joined', p));
    socket.on('peer-left', (m: { id: string }) => this.emit('peer-left', m));
    socket.on('signal', (m: { from: string; data: SignalData }) => this.emit('signal', m));
    socket.on('protocol-error', (e: ProtocolError & { event: string }) => this.emit('protocol-error', e));
  }

  start(): void {
    if (this.status !== 'idle') return;
    this.setStatus('connecting');
    this.socket.connect();
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** The transport in use ('websocket' or 'polling'), when the socket is a Socket.IO client. */
  get transport(): string | null {
    const io = (this.socket as { io?: { engine?: { transport?: { name?: string } } } }).io;
    return io?.engine?.transport?.name ?? null;
  }

  join(req: JoinRequest): Promise<JoinAck> {
    return this.request<JoinAck>('join', req);
  }

  /** Fresh ICE servers; `timeoutMs`: how long to wait for the answer (then `unavailable`). */
  iceServers(timeoutMs = ACK_TIMEOUT_MS): Promise<IceServersAck> {
    return this.request<IceServersAck>('ice-servers', {}, timeoutMs);
  }

  /**
   * The connection looks dead (a request went unanswered after a network change): reconnect now
   * rather than wait for Socket.IO's ping timeout. The owner rejoins (resuming) on `connected`.
   */
  recycle(): void {
    if (this.status === 'closed' || !this.socket.connected) return;
    // Closing the transport, not the socket: a socket's disconnect() tells the server this
    // client left (if the old connection still carries anything), and the server then tells
    // the room it left at once; a closed transport is a drop, which the server keeps for its
    // resume grace. The socket then says 'transport close' and reconnects (see the constructor).
    const engine = (this.socket as { io?: { engine?: { close?: unknown } } }).io?.engine;
    if (engine && typeof engine.close === 'function') return void (engine.close as () => void).call(engine);
    this.socket.disconnect(); // 'io client disconnect': not taken for a drop (see the constructor)
    this.scheduleReconnect('no answer from the server');
  }

  signal(to: string, data: SignalData): void {
    if (this.socket.connected) this.socket.emit('signal', { to, data });
  }

  /** Leave the room and close the socket for good. */
  close(): void {
    if (this.status === 'closed') return;
    if (this.socket.connected) this.socket.emit('leave', {});
    this.setStatus('closed');
    if (this.timer) clearTimeout(this.timer);
    this.socket.disconnect();
  }

  private request<T>(event: string, payload: unknown, timeoutMs = ACK_TIMEOUT_MS): Promise<T> {
    return new Promise((resolve) => {
      if (!this.socket.connected) {
        resolve({ ok: false, error: { code: 'unavailable', message: 'not connected to the server' } } as T);
        return;
      }
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        resolve(timeoutError(event, timeoutMs) as T);
      }, timeoutMs);
      this.socket.emit(event, payload, (res: T) => {
        if (done) return;
        clearTimeout(timer);
        resolve(res);
      });
    });
  }

  private scheduleReconnect(reason: string): void {
    if (this.timer) return;
    const delay = this.retry.next(reason);
    if (delay === null) {
      this.setStatus('unreachable');
      return;
    }
    this.setStatus(this.everConnected ? 'reconnecting' : this.retry.attempts > 1 ? 'unreachable' : 'connecting');
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.status !== 'closed' && !this.socket.connected) this.socket.connect();
    }, Math.max(delay, this.minDelayMs));
  }

  private setStatus(s: SignalingStatus): void {
    if (this.status === s) return;
    this.status = s;
    this.emit('status', s);
  }
}
