/**
 * `window.switchboard`: a read-only view of the client's real state for end-to-end tests (and for
 * curious people in the console). Everything is a fresh plain-object copy; `onChange` says when
 * it changed.
 */
import type { Room } from 'switchboard/client';
import type { ChatStore } from './chat-store.js';

export interface HookState {
  status: Room['state'];
  error: string | null;
  room: string;
  selfId: string | null;
  name: string;
  capacity: number;
  relayOnly: boolean;
  signaling: { status: string; connected: boolean; connects: number; transport: string | null };
  resumes: number;
  /** ICE restarts of the room's connections, by outcome (Room.recoveries). */
  recoveries: { restarts: number; recovered: number; replaced: number };
  /** The room's `peer-recovery` events (the last 20): `ms` is when, ms since the epoch. */
  recoveryLog: Array<{ peerId: string; phase: string; reason: string; ms: number }>;
  peers: Array<{
    id: string;
    name: string;
    conn: string;
    initiator: boolean | null;
    generation: number | null;
    attempts: number;
    iceState: string | null;
    path: string;
    localType: string | null;
    remoteType: string | null;
    rttMs: number | null;
    bitrateBps: number;
    framesDecoded: number;
    hasStream: boolean;
    /** The peer shares a screen (PeerInfo.screen). */
    hasScreen: boolean;
    media: { inCall: boolean; audio: boolean; video: boolean };
  }>;
  departed: Array<{ id: string; name: string }>;
  protocolErrors: string[];
  chat: Array<{ from: string; name: string; text: string; self: boolean }>;
  transfers: Array<{ key: string; direction: string; peerId: string; name: string; size: number; transferred: number; state: string; sha256: string | null; verified: boolean | null; error: string | null }>;
  /** This side's call state; `screen`: it shares a screen (Room.screen). */
  call: { inCall: boolean; audio: boolean; video: boolean; screen: boolean; error: string | null };
}

/** The part of the hook the page fills in once it is built (the call panel's last media error). */
export interface Hook {
  callError(source: () => string | null): void;
}

/** Installed when the room opens, before the page is built (ui/first-paint.ts). */
export function installHook(room: Room, chat: ChatStore): Hook {
  const recoveryLog: HookState['recoveryLog'] = [];
  room.on('peer-recovery', (p, r) => {
    recoveryLog.push({ peerId: p.id, phase: r.phase, reason: r.reason, ms: Date.now() });
    if (recoveryLog.length > 20) recoveryLog.shift();
  });
  let callError: () => string | null = () => null;
  const state = (): HookState => ({
    status: room.state,
    error: room.error?.message ?? null,
    room: room.id,
    selfId: room.selfId,
    name: room.name,
    capacity: room.capacity,
    relayOnly: room.relayOnly,
    signaling: room.connection,
    resumes: room.resumes,
    recoveries: room.recoveries,
    recoveryLog: recoveryLog.map((r) => ({ ...r })),
    peers: room.peers.map((e) => ({
      id: e.id,
      name: e.name,
      conn: e.state,
      initiator: e.initiator,
      generation: e.generation,
      attempts: e.attempts,
      iceState: e.iceState,
      path: e.stats?.path ?? 'unknown',
      localType: e.stats?.localType ?? null,
      remoteType: e.stats?.remoteType ?? null,
      rttMs: e.stats?.rttMs ?? null,
      bitrateBps: e.stats?.bitrateBps ?? 0,
      framesDecoded: e.stats?.framesDecoded ?? 0,
      hasStream: e.stream !== null,
      hasScreen: e.screen !== null,
      media: { ...e.media },
    })),
    departed: room.departed.map((d) => ({ id: d.id, name: d.name })),
    protocolErrors: room.protocolErrors,
    chat: chat.entries.map((m) => ({ from: m.from, name: m.name, text: m.text, self: m.self })),
    transfers: room.transfers.map((t) => ({
      key: t.key, direction: t.direction, peerId: t.peerId, name: t.name, size: t.size, transferred: t.transferred,
      state: t.state, sha256: t.sha256 ?? null, verified: t.verified ?? null, error: t.error ?? null,
    })),
    call: { ...room.media, screen: room.screen !== null, error: callError() },
  });
  // `onChange(fn)`: fn runs after every state change, synchronously (a test or a benchmark can
  // then see the moment a peer connects, not the next poll); returns the unsubscribe function.
  const onChange = (fn: () => void): (() => void) => room.on('change', () => fn());
  Object.defineProperty(window, 'switchboard', { value: Object.freeze({ state, onChange, version: 1 }), configurable: true });
  return { callError: (source) => void (callError = source) };
}
