/** socket.io-client peers for the cluster tests: from a chosen loopback source address, so that
 * nginx's `hash $remote_addr` sends them to a chosen node. */
import { Agent, request as httpRequest } from 'node:http';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, JoinAck, ServerToClientEvents, SignalData } from '../../../server/protocol/index.js';
import { waitFor } from './services.js';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Joined = Extract<JoinAck, { ok: true }>;

const open = new Set<Client>();

export function closeClients(): void {
  for (const c of open) c.disconnect();
  open.clear();
}

export interface ClientOptions {
  /** Source address (127.x.y.z). */
  from?: string;
  transport?: 'websocket' | 'polling';
  reconnection?: boolean;
  /** The room in the URL, as the SDK sends it: nginx then hashes the room, not the address. */
  room?: string;
}

export function client(url: string, o: ClientOptions = {}): Client {
  const agent = o.from ? new Agent({ localAddress: o.from, keepAlive: true }) : undefined;
  const socket: Client = connect(url, {
    transports: [o.transport ?? 'websocket'],
    forceNew: true,
    reconnection: o.reconnection ?? false,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    randomizationFactor: 0,
    timeout: 5000,
    ...(o.room ? { query: { room: o.room } } : {}),
    ...(o.from ? { localAddress: o.from, agent } : {}),
  } as Parameters<typeof connect>[1]);
  open.add(socket);
  return socket;
}

export async function connected(socket: Client): Promise<Client> {
  if (socket.connected) return socket;
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return socket;
}

export function request<T>(socket: Client, event: string, payload?: unknown, ms = 5000): Promise<T> {
  return (socket.timeout(ms) as unknown as { emitWithAck(ev: string, ...a: unknown[]): Promise<T> }).emitWithAck(event, payload);
}

export async function join(socket: Client, room: string, extra: Record<string, unknown> = {}): Promise<Joined> {
  const res = await request<JoinAck>(socket, 'join', { room, ...extra });
  if (!res.ok) throw new Error(`join failed: ${res.error.code} ${res.error.message}`);
  return res;
}

/** Records every event a socket receives, so tests can wait on "has seen" without races. */
export class Recorder {
  readonly events: Array<{ event: string; args: unknown[] }> = [];
  constructor(readonly socket: Client) {
    socket.onAny((event: string, ...args: unknown[]) => this.events.push({ event, args }));
    socket.on('disconnect', (reason) => this.events.push({ event: 'disconnect', args: [reason] }));
  }

  of<T>(event: string): T[] {
    return this.events.filter((e) => e.event === event).map((e) => e.args[0] as T);
  }

  waitFor<T>(event: string, match: (v: T) => boolean = () => true, ms = 5000): Promise<T> {
    return waitFor(`"${event}" on a client`, () => this.of<T>(event).find(match), ms, 20);
  }
}

/** A "call": offer -> answer, then a candidate each way, relayed by the signaling servers. */
export async function call(a: { socket: Client; rec: Recorder; id: string }, b: { socket: Client; rec: Recorder; id: string }): Promise<void> {
  const offer: SignalData = { type: 'offer', sdp: `v=0 offer from ${a.id}` };
  a.socket.emit('signal', { to: b.id, data: offer });
  await b.rec.waitFor<{ from: string; data: SignalData }>('signal', (m) => m.from === a.id && 'type' in m.data && m.data.type === 'offer');
  b.socket.emit('signal', { to: a.id, data: { type: 'answer', sdp: `v=0 answer from ${b.id}` } });
  await a.rec.waitFor<{ from: string; data: SignalData }>('signal', (m) => m.from === b.id && 'type' in m.data && m.data.type === 'answer');
  const candidate = (c: string): SignalData => ({ type: 'candidate', candidate: { candidate: `candidate:1 1 udp 1 127.0.0.1 ${c} typ host`, sdpMid: '0', sdpMLineIndex: 0 } });
  a.socket.emit('signal', { to: b.id, data: candidate('5000') });
  b.socket.emit('signal', { to: a.id, data: candidate('6000') });
  await b.rec.waitFor<{ from: string; data: SignalData }>('signal', (m) => m.from === a.id && 'type' in m.data && m.data.type === 'candidate');
  await a.rec.waitFor<{ from: string; data: SignalData }>('signal', (m) => m.from === b.id && 'type' in m.data && m.data.type === 'candidate');
  const errors = [...a.rec.of('protocol-error'), ...b.rec.of('protocol-error')];
  if (errors.length) throw new Error(`protocol errors during the call: ${JSON.stringify(errors)}`);
}

/** GET through a chosen source address; JSON body and status. */
export function getJson<T = unknown>(url: string, from?: string): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { localAddress: from, timeout: 3000, agent: false }, (res) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString()));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) as T });
        } catch (err) {
          reject(new Error(`${url}: ${res.statusCode} ${data.slice(0, 200)} (${String(err)})`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Source addresses that nginx's consistent hash sends to each node, found by asking /api/cluster. */
export async function addressesByNode(lbUrl: string, wanted: number, nodes: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (let i = 2; i < 250; i++) {
    const from = `127.0.${Math.floor(i / 200)}.${(i % 200) + 2}`;
    const { body } = await getJson<{ node: string }>(`${lbUrl}/api/cluster`, from);
    const list = out.get(body.node);
    if (list && list.length < wanted) list.push(from);
    if ([...out.values()].every((l) => l.length >= wanted)) return out;
  }
  throw new Error(`could not find ${wanted} source addresses per node: ${JSON.stringify([...out])}`);
}
