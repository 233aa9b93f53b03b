/**
 * The floor: a bare `ws` relay with the same job (rooms, forward to a named peer of the same room)
 * and none of Switchboard's work (no Socket.IO framing, validation, rate limits or acks).
 * Protocol: {"t":"join","room"} -> {"t":"joined","id","peers"}; {"t":"sig","to","data"} -> peer gets {"t":"sig","from","data"}.
 */
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
const peers = new Map<string, { ws: WebSocket; room: string }>();
const rooms = new Map<string, Set<string>>();
wss.on('connection', (ws) => {
  const id = randomBytes(8).toString('base64url');
  ws.on('message', (raw) => {
    const m = JSON.parse(raw.toString()) as { t: string; room?: string; to?: string; data?: unknown };
    if (m.t === 'join' && m.room) {
      const set = rooms.get(m.room) ?? new Set();
      rooms.set(m.room, set);
      ws.send(JSON.stringify({ t: 'joined', id, peers: [...set] }));
      set.add(id);
      peers.set(id, { ws, room: m.room });
    } else if (m.t === 'sig' && m.to) {
      const me = peers.get(id);
      const to = peers.get(m.to);
      if (me && to && to.room === me.room) to.ws.send(JSON.stringify({ t: 'sig', from: id, data: m.data }));
    }
  });
  ws.on('close', () => {
    const me = peers.get(id);
    if (me) rooms.get(me.room)?.delete(id);
    peers.delete(id);
  });
});
wss.on('listening', () => {
  const addr = wss.address() as { port: number };
  process.stdout.write(JSON.stringify({ port: addr.port, pid: process.pid }) + '\n');
});
process.on('SIGTERM', () => wss.close(() => process.exit(0)));
