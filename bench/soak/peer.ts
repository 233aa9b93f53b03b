/**
 * One simulated client of the churn soak: a real socket.io-client socket (a new one for every
 * connection, as a browser tab that reconnects makes) and what this client believes about its
 * room, built only from what the server told it: the join answer's `peers`, then `peer-joined`
 * and `peer-left`. At the end of a soak that belief is compared with the server's roster.
 */
import { io as connect } from 'socket.io-client';
import type { IceServer, JoinAck, JoinRequest } from '../../server/protocol/index.js';
import { ACK_MS, checkSignal, type Client, type SignalKind, type SignalLedger } from './signals.js';

/**
 * - `off`: no socket. - `lobby`: connected, not in a room (after `leave`); the server keeps its
 *   peer id for the next join. - `in`: in `room`. - `dropped`: its socket was cut without a
 *   goodbye; the server keeps it in its room for the resume grace.
 */
export type PeerState = 'off' | 'lobby' | 'in' | 'dropped';

/** What the soak's peers share: the server, the random source, the ledger and the tallies. */
export interface PeerEnv {
  url: string;
  rand: () => number;
  ledger: SignalLedger;
  counts: Record<PeerCount, number>;
  /** An error code a client received (every one is tallied; `room-full` and `unknown-peer` are expected). */
  refused(code: string): void;
  problem(what: string): void;
  /** The peer the soak has in state `in` under `peerId`, if any. */
  inRoom(peerId: string): SoakPeer | undefined;
  /** Runs `p` in the background; the soak waits for all of them before its final checks. */
  track(p: Promise<unknown>): void;
}

export const PEER_COUNTS = ['joins', 'handshakeJoins', 'rejoins', 'resumes', 'lateResumes', 'roomFull', 'drops', 'abandons', 'leaves', 'disconnects', 'iceRequests', 'peerJoinedEvents', 'peerLeftEvents'] as const;
export type PeerCount = (typeof PEER_COUNTS)[number];

type Ok = Extract<JoinAck, { ok: true }>;

export class SoakPeer {
  state: PeerState = 'off';
  /** An operation is under way (the soak starts one at a time per peer). */
  busy = false;
  /** A `leave` is in flight: no more signals (the server would answer them `not-in-room`). */
  private leaving = false;
  socket: Client | undefined;
  peerId: string | undefined;
  room: string | undefined;
  /** The others in `room`, id -> name, as this client believes. */
  readonly view = new Map<string, string>();
  /** When `dropped`: when to resume (ms, performance.now()). */
  resumeAt = 0;
  /** When `dropped`: when the socket was cut. */
  private droppedAt = 0;
  private resumeKey: string | undefined;
  /** Room events that came while a join was in flight: they apply to the roster its answer brings. */
  private early: Array<() => void> | undefined;

  constructor(
    readonly name: string,
    private readonly env: PeerEnv,
    /** The server's RESUME_GRACE_MS (a resume started later than this after the drop is late). */
    private readonly graceMs: number,
  ) {}

  /**
   * Joins `room`: from `off` on a new socket (the join in the handshake or as an event), from
   * `lobby` on the same socket, from `dropped` on a new socket with the resume key.
   */
  async join(room: string): Promise<void> {
    const { env } = this;
    const from = this.state;
    const req: JoinRequest = { room, name: this.name, protocol: 1 };
    if (from === 'dropped') {
      req.resume = { peerId: this.peerId!, key: this.resumeKey! };
      // A loaded machine may start it late: the others then see the peer leave and come back.
      if (performance.now() - this.droppedAt > this.graceMs) env.counts.lateResumes++;
    }
    const fresh = from !== 'lobby';
    const handshake = fresh && env.rand() < 0.3;
    this.early = [];
    let ack: JoinAck;
    try {
      if (fresh) this.socket = this.open(handshake ? req : undefined);
      const socket = this.socket!;
      if (handshake) {
        ack = await new Promise<JoinAck>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no "joined" within ${ACK_MS} ms`)), ACK_MS);
          socket.once('joined', (a) => (clearTimeout(timer), resolve(a)));
          socket.once('connect_error', (e) => (clearTimeout(timer), reject(e)));
        });
      } else {
        if (fresh) await connected(socket);
        ack = await socket.timeout(ACK_MS).emitWithAck('join', req);
      }
    } catch (err) {
      env.problem(`${this.name}: join of ${room} from ${from} failed: ${String(err)}`);
      this.early = undefined;
      this.close(true);
      return;
    }
    const early = this.early;
    this.early = undefined;
    if (!ack.ok) {
      if (ack.error.code === 'room-full') env.counts.roomFull++;
      else env.refused(ack.error.code);
      if (from === 'lobby') return; // still connected, still this peer id
      this.close(true);
      return;
    }
    this.joined(ack, from, room);
    env.counts[from === 'dropped' ? 'resumes' : from === 'lobby' ? 'rejoins' : 'joins']++;
    if (handshake) env.counts.handshakeJoins++;
    for (const apply of early) apply();
    // The newcomer offers to every peer the answer lists (docs/protocol.md, "Who offers").
    for (const p of ack.peers) {
      this.signal(p.id, 'offer');
      this.signal(p.id, 'candidate');
    }
  }

  /** The answer's checks, then this client's belief: exactly the roster it brought. */
  private joined(ack: Ok, from: PeerState, room: string): void {
    const { env } = this;
    if (ack.room !== room) env.problem(`${this.name}: joined ${room}, the answer says ${ack.room}`);
    if (from === 'dropped' && (ack.peerId !== this.peerId || !ack.resumed)) {
      env.problem(`${this.name}: resume as ${this.peerId} came back as ${ack.peerId} (resumed: ${ack.resumed})`);
    }
    if (from === 'lobby' && ack.peerId !== this.peerId) env.problem(`${this.name}: a rejoin on the same socket changed its peer id`);
    if (ack.peers.some((p) => p.id === ack.peerId)) env.problem(`${this.name}: the roster lists the newcomer itself`);
    this.peerId = ack.peerId;
    this.resumeKey = ack.resumeKey;
    this.room = room;
    this.state = 'in';
    this.view.clear();
    for (const p of ack.peers) this.view.set(p.id, p.name);
  }

  /** Sends signal `kind` to `to` (tracked); owed delivery when the soak has `to` in this room. */
  signal(to: string, kind: SignalKind): void {
    if (this.state !== 'in' || this.leaving || !this.socket?.connected) return;
    const target = this.env.inRoom(to);
    const owed = target && target.room === this.room ? target.socket : undefined;
    this.env.track(this.env.ledger.send({ socket: this.socket, peerId: this.peerId! }, to, kind, owed));
  }

  /** Fresh TURN credentials (what a client asks before each new peer connection). */
  async iceServers(): Promise<void> {
    const res = await this.socket!.timeout(ACK_MS).emitWithAck('ice-servers', {});
    this.env.counts.iceRequests++;
    if (!res.ok) this.env.refused(res.error.code);
    else if (!res.iceServers.some((s: IceServer) => s.username && s.credential)) this.env.problem(`${this.name}: ice-servers without TURN credentials`);
  }

  /** `leave` with its ack; the socket stays (lobby) or, with `thenClose`, disconnects. */
  async leave(thenClose: boolean): Promise<void> {
    this.leaving = true;
    const res = await this.socket!.timeout(ACK_MS).emitWithAck('leave', {}).finally(() => (this.leaving = false));
    if (!res.ok) return this.env.refused(res.error.code);
    this.env.counts.leaves++;
    this.state = 'lobby';
    this.room = undefined;
    this.view.clear();
    if (thenClose) this.close(true);
  }

  /** An explicit disconnect: the server lets the peer go at once. */
  disconnect(): void {
    this.env.counts.disconnects++;
    this.close(true);
  }

  /**
   * Cuts the transport without a goodbye (a network blip, a killed tab): the server keeps the peer
   * for the resume grace. `resumeAfterMs` undefined: the client never comes back as this peer.
   */
  drop(resumeAfterMs: number | undefined): void {
    const wasIn = this.state === 'in';
    const socket = this.socket!;
    this.retire();
    (socket.io as unknown as { engine: { close(): void } }).engine.close();
    this.env.counts.drops++;
    if (wasIn && resumeAfterMs !== undefined) {
      this.state = 'dropped';
      this.droppedAt = performance.now();
      this.resumeAt = this.droppedAt + resumeAfterMs;
    } else {
      this.abandon();
    }
  }

  /** A dropped client that never resumes: the server announces it gone after the grace. */
  abandon(): void {
    if (this.state === 'dropped') this.env.counts.abandons++;
    this.state = 'off';
    this.peerId = this.resumeKey = this.room = undefined;
    this.view.clear();
  }

  /** Stops listening to the current socket (its events no longer say anything about this client). */
  private retire(): void {
    if (this.socket) this.env.ledger.socketGone(this.socket);
    this.socket = undefined;
  }

  /** Closes the socket with a goodbye; `forget`: this client is `off` and a new peer next time. */
  private close(forget: boolean): void {
    const socket = this.socket;
    this.retire();
    socket?.disconnect();
    if (forget) {
      this.state = 'off';
      this.peerId = this.resumeKey = this.room = undefined;
      this.view.clear();
    }
  }

  /** A new socket (about 1 in 10 long-polling, the rest WebSocket), its events wired to this client. */
  private open(handshakeJoin: JoinRequest | undefined): Client {
    const socket: Client = connect(this.env.url, {
      transports: this.env.rand() < 0.1 ? ['polling'] : ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: ACK_MS,
      ...(handshakeJoin ? { auth: { join: handshakeJoin } } : {}),
    });
    const { env } = this;
    // Events of a socket this client has let go of are history, not news about its room.
    const mine = () => this.socket === socket;
    const roomEvent = (apply: () => void) => {
      if (!mine()) return;
      if (this.early) this.early.push(apply);
      else if (this.state === 'in') apply();
      else env.problem(`${this.name}: a room event while ${this.state}`);
    };
    socket.on('peer-joined', (p) =>
      roomEvent(() => {
        env.counts.peerJoinedEvents++;
        if (p.id === this.peerId) env.problem(`${this.name}: peer-joined for itself`);
        else this.view.set(p.id, p.name);
      }),
    );
    socket.on('peer-left', ({ id }) =>
      roomEvent(() => {
        env.counts.peerLeftEvents++;
        if (id === this.peerId) env.problem(`${this.name}: peer-left for itself`);
        this.view.delete(id);
      }),
    );
    socket.on('signal', ({ from, data }) => {
      if (!mine() || !this.peerId) return;
      const check = checkSignal(data, from, this.peerId);
      if ('wrong' in check) return env.problem(check.wrong);
      env.ledger.delivered(check.seq);
      // Answer an offer as a browser would: the answer, then a candidate.
      if (check.kind === 'offer' && this.view.has(from)) {
        this.signal(from, 'answer');
        this.signal(from, 'candidate');
      }
    });
    socket.on('protocol-error', (e) => mine() && (env.refused(e.code), env.problem(`${this.name}: protocol-error ${e.code} for ${e.event}: ${e.message}`)));
    socket.on('server-shutdown', () => mine() && env.problem(`${this.name}: server-shutdown during the soak`));
    socket.on('disconnect', (reason) => {
      if (!mine()) return;
      env.problem(`${this.name}: the server disconnected it (${reason}) while ${this.state}`);
      this.retire();
      this.abandon();
    });
    return socket;
  }
}

function connected(socket: Client): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}
