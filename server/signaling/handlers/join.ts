/**
 * `join { room, name?, token?, resume?, protocol? }`: enter a room (or move to it), get the roster and ICE
 * servers. The newcomer initiates to every peer in the ack's `peers` (see protocol/events.ts).
 *
 * A join sent as an event and one in the handshake (`auth.join`, signaling/dispatch.ts) both come
 * here, already validated, and are checked in this order: the room token (HMAC or JWT,
 * credentials/room-access.ts), the resume key, then the app's authorize hook
 * (credentials/authorize.ts), which so sees only joins that passed the rest, resumes included.
 */
import { randomBytes } from 'node:crypto';
import { authorizeRequest, handshakeInfo, runAuthorize } from '../../credentials/authorize.js';
import { resumeKey, verifyResumeKey } from '../../credentials/resume-key.js';
import { roomTokensRequired, verifyRoomAccess, type RoomAccess } from '../../credentials/room-access.js';
import { fail, PROTOCOL_VERSION, PROTOCOL_VERSIONS, type ParsedJoinRequest } from '../../protocol/index.js';
import { clientAddress } from '../connection-limit.js';
import { peerKey, roomKey, type Handler, type IoSocket, type SignalingContext } from '../context.js';
import { depart, leaveCurrentRoom } from '../membership.js';

const newPeerId = () => randomBytes(12).toString('base64url');

/** Another socket of the same peer (a resume racing the old connection's timeout) gives way. */
async function takeOver(ctx: SignalingContext, socket: IoSocket, peerId: string, room: string): Promise<void> {
  const old = ctx.sessions.socketOf(peerId);
  if (old && old !== socket) {
    const oldRoom = old.data.room;
    old.data.room = undefined;
    old.data.peerId = undefined;
    ctx.sessions.unbind(peerId, old);
    old.disconnect(true);
    if (oldRoom && oldRoom !== room) await depart(ctx, oldRoom, peerId);
  }
  const waiting = ctx.sessions.cancelDeparture(peerId);
  if (waiting && waiting !== room) await depart(ctx, waiting, peerId);
}

export const join: Handler<ParsedJoinRequest> = async (socket, req, ctx) => {
  if (ctx.state.shuttingDown) return fail('unavailable', 'the server is shutting down; reconnect to join');
  if (req.protocol !== undefined && !PROTOCOL_VERSIONS.includes(req.protocol)) {
    return fail('bad-request', `protocol: this server speaks protocol version ${PROTOCOL_VERSIONS.join(', ')}, not ${req.protocol}`);
  }
  const { config } = ctx;
  let access: RoomAccess = { ok: true };
  if (roomTokensRequired(config)) {
    access = await verifyRoomAccess(config, req.room, req.token);
    if (!access.ok) return fail('unauthorized', access.reason);
  }
  let peerId = socket.data.peerId ?? newPeerId();
  if (req.resume) {
    if (!verifyResumeKey(config.sessionSecret, req.resume.peerId, req.resume.key)) {
      return fail('unauthorized', 'resume key does not match the peer id');
    }
    peerId = req.resume.peerId;
  }
  // A JWT's `name` claim is the peer's name (the backend that minted it knows who it is for).
  let name = access.name ?? req.name?.trim() ?? '';
  if (ctx.authorize) {
    const verdict = await runAuthorize(
      ctx.authorize,
      authorizeRequest({
        room: req.room,
        name,
        token: req.token,
        claims: access.claims,
        resume: Boolean(req.resume),
        handshake: handshakeInfo(socket.handshake, clientAddress(socket, config.trustProxy)),
      }),
      config.authorizeTimeoutMs,
    );
    if (!verdict.ok) {
      if (verdict.code === 'internal') ctx.log.error({ err: verdict.cause, room: req.room, socketId: socket.id }, 'authorize hook failed');
      else if (verdict.code === 'unavailable') ctx.log.warn({ room: req.room, socketId: socket.id, timeoutMs: config.authorizeTimeoutMs }, 'authorize hook timed out');
      return fail(verdict.code, verdict.message);
    }
    name = verdict.name;
    if (ctx.state.shuttingDown) return fail('unavailable', 'the server is shutting down; reconnect to join');
  }

  // One room per socket: joining another room is a move. Joining the room this socket is already
  // in, as the same peer, is a repeat (a client whose answer to the handshake join came late sends
  // `join` as well): it answers as before but tells the others nothing new, so they keep the
  // connection they are building with this peer.
  const repeat = socket.data.room === req.room && socket.data.peerId === peerId;
  const renamed = repeat && socket.data.name !== name;
  if (socket.data.room && !repeat) {
    await leaveCurrentRoom(ctx, socket);
  }
  await takeOver(ctx, socket, peerId, req.room);

  const result = await ctx.registry.join(req.room, { id: peerId, name }, config.roomCapacity);
  if (!result.ok) return fail('room-full', `room "${req.room}" is full (${config.roomCapacity} peers)`);
  // A cluster: an older socket of this peer on another node gives way too (takeOver did this node's).
  if (result.rejoined) ctx.io.in(peerKey(peerId)).except(socket.id).disconnectSockets(true);

  if (socket.data.peerId && socket.data.peerId !== peerId) {
    socket.leave(peerKey(socket.data.peerId));
    ctx.sessions.unbind(socket.data.peerId, socket);
  }
  socket.data.peerId = peerId;
  socket.data.room = req.room;
  socket.data.name = name;
  socket.join([roomKey(req.room), peerKey(peerId)]);
  ctx.sessions.bind(peerId, socket);

  const resumed = Boolean(req.resume);
  // A repeat is announced when it is news: under a new name (`peer-joined` is how the others learn
  // names), or when the room had lost this peer meanwhile (a cluster node reaped it during a stall
  // long enough to make the handshake answer late): the others heard `peer-left` and must hear it
  // is back.
  const arrived = !repeat || !result.rejoined; // a join the room had not counted
  if (arrived || renamed) socket.to(roomKey(req.room)).emit('peer-joined', { id: peerId, name, resumed });
  if (arrived) ctx.observer.joined?.(req.room, resumed);
  ctx.log.debug({ room: req.room, peerId, resumed, rejoined: result.rejoined }, 'peer joined');
  const { iceServers } = ctx.ice.build(req.room, peerId);
  return {
    ok: true,
    peerId,
    resumeKey: resumeKey(config.sessionSecret, peerId),
    room: req.room,
    capacity: config.roomCapacity,
    peers: result.peers,
    iceServers,
    resumed,
    protocol: PROTOCOL_VERSION,
  };
};
