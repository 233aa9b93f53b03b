/**
 * The Socket.IO floor: the least a Socket.IO relay can do for the benchmark's clients, on the same
 * Socket.IO server options as Switchboard's (server/app.ts), and nothing else: `join` answers the
 * room's peers, `signal` goes to the named peer of the same room. No validation, no rate limit, no
 * metrics, no registry. What Switchboard costs above this is Switchboard's; what this costs above
 * the bare `ws` relay is Socket.IO's (Engine.IO and Socket.IO framing, packet objects, acks).
 * Prints {"port","pid"} when listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';

const http = createServer();
const io = new Server(http, { serveClient: false, pingInterval: 10_000, pingTimeout: 5_000, connectTimeout: 10_000 });
const byId = new Map<string, Socket>();
const rooms = new Map<string, Set<string>>();
io.on('connection', (socket) => {
  let room: string | null = null;
  socket.on('join', (req: { room: string }, ack: (res: unknown) => void) => {
    room = req.room;
    const set = rooms.get(room) ?? new Set<string>();
    rooms.set(room, set);
    ack({ ok: true, peers: [...set].map((id) => ({ id })) });
    set.add(socket.id);
    byId.set(socket.id, socket);
  });
  socket.on('signal', (req: { to: string; data: unknown }) => {
    const to = byId.get(req.to);
    if (to && room !== null && rooms.get(room)?.has(req.to)) to.emit('signal', { from: socket.id, data: req.data });
  });
  socket.on('disconnect', () => {
    if (room !== null) rooms.get(room)?.delete(socket.id);
    byId.delete(socket.id);
  });
});
http.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: (http.address() as AddressInfo).port, pid: process.pid }) + '\n'));
process.on('SIGTERM', () => void io.close(() => process.exit(0)));
