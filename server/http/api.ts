/** The JSON API the web app (and clients that cannot use Socket.IO) call. */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { IceServerBuilder } from '../credentials/ice-servers.js';
import { roomTokensRequired, verifyRoomAccess } from '../credentials/room-access.js';
import { mintRoomToken } from '../credentials/room-token.js';
import { roomName } from '../protocol/index.js';
import type { RelayStats } from '../../turn/types.js';
import { requireBearer } from './bearer.js';
import { sendError } from './errors.js';

export interface ApiDeps {
  config: Pick<Config, 'roomCapacity' | 'roomSecret' | 'roomJwt' | 'roomTokenTtl' | 'signalMaxBytes' | 'metricsToken'>;
  ice: IceServerBuilder;
  signalingStats(): Promise<Record<string, number>>;
  relayStats(): Promise<RelayStats | null>;
  members(room: string): Promise<Array<{ id: string; name: string }>>;
  /** Called when ICE servers were minted over HTTP, `seconds` after the check began (metrics). */
  iceServersMinted?(via: 'http' | 'page', seconds: number): void;
}

/** Room names the server invents: 10 characters of the allowed alphabet, ~60 bits. */
export const randomRoomName = () => randomBytes(8).toString('base64url').slice(0, 10);

const iceQuery = z.strictObject({ room: roomName.optional(), token: z.string().max(4096).optional() });

/**
 * Who gets ICE servers (TURN credentials) over HTTP: `GET /api/ice-servers` and a room page's boot
 * data (http/index.ts) alike. Without ROOM_SECRET, anyone; with it, only with a valid token for
 * `room` (an already validated room name). `as` prefixes the credential's id (`http-`, `page-`).
 */
export async function iceServersOverHttp(
  deps: Pick<ApiDeps, 'config' | 'ice' | 'iceServersMinted'>,
  room: string | undefined,
  token: string | undefined,
  as: 'http' | 'page',
): Promise<({ ok: true } & ReturnType<IceServerBuilder['build']>) | { ok: false; reason: string }> {
  const t0 = performance.now();
  if (roomTokensRequired(deps.config)) {
    if (!room) return { ok: false, reason: 'room and token are required' };
    const check = await verifyRoomAccess(deps.config, room, token);
    if (!check.ok) return { ok: false, reason: check.reason };
  }
  const minted = deps.ice.build(room ?? '', `${as}-${randomBytes(6).toString('base64url')}`);
  deps.iceServersMinted?.(as, (performance.now() - t0) / 1000);
  return { ok: true, ...minted };
}

export function apiRoutes(deps: ApiDeps): Router {
  const { config } = deps;
  const r = Router();

  r.get('/config', (_req, res) => {
    res.json({
      roomCapacity: config.roomCapacity,
      roomTokensRequired: roomTokensRequired(config),
      signalMaxBytes: config.signalMaxBytes,
    });
  });

  r.post('/rooms', (_req, res) => {
    const room = randomRoomName();
    // JWT room tokens only: the app's backend mints them (it holds the key); a room made here
    // would come without a token and nobody could join it.
    if (!config.roomSecret && roomTokensRequired(config)) {
      return sendError(res, 'unauthorized', 'rooms on this server are made by the application that mints its JWT room tokens (docs/tokens.md)');
    }
    if (!config.roomSecret) {
      res.status(201).json({ room, token: null, expiresAt: null, url: `/r/${room}` });
      return;
    }
    const { token, expiresAt } = mintRoomToken(config.roomSecret, room, config.roomTokenTtl);
    res.status(201).json({ room, token, expiresAt, url: `/r/${room}?t=${encodeURIComponent(token)}` });
  });

  r.get('/ice-servers', async (req, res) => {
    const q = iceQuery.safeParse(req.query);
    if (!q.success) return sendError(res, 'bad-request', q.error.issues[0]?.message ?? 'invalid query');
    const granted = await iceServersOverHttp(deps, q.data.room, q.data.token, 'http');
    if (!granted.ok) return sendError(res, 'unauthorized', granted.reason);
    res.set('cache-control', 'no-store').json({ iceServers: granted.iceServers, ttl: granted.ttl });
  });

  // Presence for clients that can only poll. With room secrets on, ids stay private.
  r.get('/rooms/:room', async (req, res) => {
    const room = roomName.safeParse(req.params.room);
    if (!room.success) return sendError(res, 'bad-request', room.error.issues[0]?.message ?? 'bad room name');
    const members = await deps.members(room.data);
    res.set('cache-control', 'no-store').json({
      room: room.data,
      count: members.length,
      capacity: config.roomCapacity,
      peers: members.map((m) => (roomTokensRequired(config) ? { name: m.name } : { id: m.id, name: m.name })),
    });
  });

  r.get('/stats', requireBearer(config.metricsToken), async (_req, res) => {
    res.json({ signaling: await deps.signalingStats(), relay: await deps.relayStats() });
  });

  return r;
}
