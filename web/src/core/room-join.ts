/**
 * The signaling side of a room (see room-core.ts for the peer links on top): the room's status,
 * joining (in the connection handshake, or with `join` when its answer is late), resuming under
 * the same peer id after a reconnect, and retrying a join the server could not take right now.
 * What a successful join means for the peer links is left to the subclass (`applyJoin`).
 */
import type { JoinAck } from '../../../server/protocol/events.js';
import type { JoinRequest } from '../../../server/protocol/schemas.js';
import { PROTOCOL_VERSION } from '../../../server/protocol/version.js';
import { Emitter } from './emitter.js';
import { RetryState, joinRetryPolicy } from './retry.js';
import { ACK_TIMEOUT_MS, SignalingClient, type SignalingStatus } from './signaling.js';
import type { RoomEvents, RoomOptions, RoomStatus } from './room-types.js';
import { cancel, type Timer } from './timers.js';

/**
 * Join answers that say "not now" rather than "no": the server is short of Redis, the socket's
 * rate limit is empty, or a bug; also the client's own timeout (`unavailable`). Sent again.
 */
const TRANSIENT_JOIN_ERRORS: ReadonlySet<string> = new Set(['unavailable', 'rate-limited', 'internal']);

export abstract class RoomJoin extends Emitter<RoomEvents> {
  status: RoomStatus = 'idle';
  selfId: string | null = null;
  capacity = 0;
  error: string | null = null;
  /** The code of the join's refusal, with `error` (`room-full`, `unauthorized`, ...). */
  errorCode: string | null = null;
  name: string;
  readonly room: string;
  readonly signaling: SignalingClient;
  /** Joins that resumed a previous session (after a signaling reconnect). */
  resumes = 0;
  private resumeKey: string | null = null;
  /** Waiting for the handshake join's `joined`: falls back to a `join` event when it is late. */
  private joinedTimer: Timer = null;
  /** The request the handshake carried, until its `joined` arrives. */
  private pendingHandshakeJoin: JoinRequest | null = null;
  /** A join the server could not take right now is sent again (`joinRetryPolicy`). */
  private readonly joinRetry: RetryState;
  private joinRetryTimer: Timer = null;

  constructor(protected readonly opts: RoomOptions) {
    super();
    this.joinRetry = new RetryState(opts.joinRetryPolicy ?? joinRetryPolicy);
    this.room = opts.room;
    this.name = opts.name;
    this.signaling = new SignalingClient(opts.socket, opts.signalingRetryPolicy);
    const sig = this.signaling;
    sig.on('status', (s) => this.onSignalingStatus(s));
    sig.on('connected', () => this.onConnected());
    sig.on('joined', (ack) => this.onHandshakeJoined(ack));
  }

  protected get isLeft(): boolean { return this.status === 'left'; } // prettier-ignore

  /** The join succeeded: bring the peer links in line with the room's roster (`ack.peers`). */
  protected abstract applyJoin(ack: JoinAck & { ok: true }): void;
  /** Forget every peer (a new identity, or the room left). */
  protected abstract forgetPeers(): void;
  /** No join is coming soon (refused, or signaling lost): free what was prepared for it. */
  protected abstract dropSpare(): void;
  /** Refused for good (room full, unauthorized): stop every timer, as `leave()` would. */
  protected abstract stopTimers(): void;

  /** Stops the join's timers and closes signaling for good (`leave()`). */
  protected stopJoining(): void {
    this.joinedTimer = cancel(this.joinedTimer);
    this.joinRetryTimer = cancel(this.joinRetryTimer);
    this.signaling.close();
  }

  /** What this client asks for when it (re)joins: sent as `join`, or in the handshake. */
  joinRequest(): JoinRequest {
    const req: JoinRequest = { room: this.room, protocol: PROTOCOL_VERSION };
    if (this.name) req.name = this.name.slice(0, 64);
    if (this.opts.token) req.token = this.opts.token;
    if (this.selfId && this.resumeKey) req.resume = { peerId: this.selfId, key: this.resumeKey };
    return req;
  }

  /** The request for the connection handshake (Socket.IO's `auth`), remembered for its answer. */
  handshakeJoinRequest(): JoinRequest {
    this.pendingHandshakeJoin = this.joinRequest();
    return this.pendingHandshakeJoin;
  }

  private onConnected(): void {
    this.joinRetryTimer = cancel(this.joinRetryTimer); // a new connection joins afresh
    if (!this.opts.joinInHandshake) return void this.join();
    // The handshake carried the join: its answer (`joined`) follows the connect at once. If it
    // does not come (a server without handshake joins), join the usual way.
    this.joinedTimer = cancel(this.joinedTimer);
    this.pendingHandshakeJoin ??= this.joinRequest();
    this.joinedTimer = setTimeout(() => {
      this.joinedTimer = null;
      this.pendingHandshakeJoin = null;
      if (this.signaling.connected && !this.isLeft) void this.join();
    }, ACK_TIMEOUT_MS);
  }

  private onHandshakeJoined(ack: JoinAck): void {
    const req = this.pendingHandshakeJoin;
    if (!req || this.isLeft) return;
    this.pendingHandshakeJoin = null;
    this.joinedTimer = cancel(this.joinedTimer);
    void this.onJoinAck(req, ack);
  }

  private async join(): Promise<void> {
    const req = this.joinRequest();
    const connection = this.signaling.connects;
    const ack = await this.signaling.join(req);
    // The answer (or the timeout) of a join sent on an earlier connection: the connection since
    // has joined on its own, and this answer must not undo that.
    if (this.signaling.connects !== connection) return;
    await this.onJoinAck(req, ack);
  }

  private async onJoinAck(req: JoinRequest, ack: JoinAck): Promise<void> {
    if (this.isLeft) return;
    if (!ack.ok) {
      const { code, message } = ack.error;
      if (req.resume && (code === 'unauthorized' || code === 'bad-request')) {
        // The server no longer knows us (e.g. restarted with another secret): start afresh.
        this.resetIdentity();
        return this.join();
      }
      this.status = code === 'room-full' ? 'room-full' : code === 'unauthorized' ? 'unauthorized' : 'error';
      this.error = message;
      this.errorCode = code;
      this.dropSpare();
      if (this.status !== 'error') {
        this.signaling.close();
        this.stopTimers(); // nothing more will happen: a Node process must be able to exit
      }
      else if (TRANSIENT_JOIN_ERRORS.has(code)) this.retryJoin(code);
      this.emit('join-failed', { code, message });
      this.changed();
      return;
    }
    this.joinRetry.reset();
    this.joinRetryTimer = cancel(this.joinRetryTimer);
    if (this.selfId && ack.peerId !== this.selfId) this.resetIdentity();
    if (ack.resumed) this.resumes++;
    this.selfId = ack.peerId;
    this.resumeKey = ack.resumeKey;
    this.capacity = ack.capacity;
    this.status = 'joined';
    this.error = null;
    this.errorCode = null;
    this.applyJoin(ack);
    this.changed();
  }

  /** The join failed for now (see TRANSIENT_JOIN_ERRORS): again after the policy's delay. */
  private retryJoin(reason: string): void {
    this.joinRetryTimer = cancel(this.joinRetryTimer);
    const delay = this.joinRetry.next(reason);
    if (delay === null) return;
    this.joinRetryTimer = setTimeout(() => {
      this.joinRetryTimer = null;
      if (!this.isLeft && this.status === 'error' && this.signaling.connected) void this.join();
    }, delay);
  }

  private onSignalingStatus(s: SignalingStatus): void {
    if (this.isLeft || this.status === 'room-full' || this.status === 'unauthorized') return;
    if (s === 'unreachable' || s === 'reconnecting') this.dropSpare(); // no join soon: free its TURN allocation
    if (s === 'reconnecting') this.status = 'reconnecting';
    else if (s === 'unreachable') this.status = this.selfId ? 'reconnecting' : 'unreachable';
    else if (s === 'connecting' && this.status !== 'joined') this.status = 'connecting';
    this.changed();
  }

  private resetIdentity(): void {
    this.forgetPeers();
    this.selfId = null;
    this.resumeKey = null;
  }

  protected notice(kind: 'left' | 'joined' | 'failed' | 'error', text: string): void {
    this.emit('notice', { kind, text });
  }

  protected changed(): void {
    this.emit('change');
  }
}
