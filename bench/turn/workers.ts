/**
 * Worker rows of the relay benchmark (`--workers 1,2`): our relay as a pool of N worker processes
 * (turn/pool.ts), loaded by FLOWS flows at once, each flow a room of its own placed on worker
 * `i % N` (what the server's hash of room names does on average). The same flows, the same total
 * rate, for every N: the rows differ only in how many processes share the work. CPU per packet is
 * the workers' and their supervisor's together.
 *
 * Paths: ChannelData client -> relay -> sink -> relay -> client, and relay-to-relay (two
 * allocations of one room on one worker, in-process).
 */
import type dgram from 'node:dgram';
import { TurnClient } from '../../turn/client/index.js';
import {
  Receiver,
  channelRing,
  connectAllocated,
  ladder,
  payloadOf,
  takeOver,
  type Flow,
  type LadderResult,
  type Sink,
  type Target,
} from './load.js';
import type { RunningPool } from './servers.js';

/** Flows (rooms) that share the load in every worker row. */
export const FLOWS = 4;

/** Worker `i % n`'s port: where flow i's client connects. */
function target(pool: RunningPool, i: number): Target {
  return { port: pool.ports[i % pool.ports.length]!, creds: pool.creds };
}

/** The pool's processes: the workers and the supervisor (idle but counted). */
const pidsOf = (pool: RunningPool): number[] => [pool.pid, ...pool.pids];

/** FLOWS ChannelData flows to the sink, echoed back. */
export async function measurePoolPath(pool: RunningPool, sink: Sink, size: number, rates: number[], durationS: number, log: (s: string) => void): Promise<LadderResult> {
  const receiver = new Receiver();
  const lanes: Array<Pick<Flow, 'ring' | 'off' | 'sock'>> = [];
  try {
    for (let i = 0; i < FLOWS; i++) {
      const [c] = await connectAllocated(target(pool, i));
      await c.createPermission(sink.addr.address);
      const ring = channelRing(await c.channelBind(sink.addr), size);
      const sock = await takeOver(c, target(pool, i));
      sock.on('message', (m) => receiver.onEcho(m));
      lanes.push({ ring, off: 4, sock });
    }
    const [first, ...more] = lanes;
    return await ladder({ ...first!, more, receiver, peerReceived: (s) => sink.count(s) }, pidsOf(pool), rates, durationS, log);
  } finally {
    for (const l of lanes) l.sock.close();
  }
}

/** FLOWS rooms of two allocations each on one worker: A -> allocation A -> allocation B -> B, echoed back. */
export async function measurePoolRelayToRelay(pool: RunningPool, size: number, rates: number[], durationS: number, log: (s: string) => void): Promise<LadderResult> {
  const receiver = new Receiver();
  const lanes: Array<Pick<Flow, 'ring' | 'off' | 'sock'>> = [];
  const echoes: dgram.Socket[] = [];
  const atB = { step: -1, count: 0 };
  try {
    for (let i = 0; i < FLOWS; i++) {
      const [a, ra] = await connectAllocated(target(pool, i));
      const [b, rb] = await connectAllocated(target(pool, i));
      await a.createPermission(rb.address);
      await b.createPermission(ra.address);
      const chA = await a.channelBind(rb);
      await b.channelBind(ra);
      const sa = await takeOver(a, target(pool, i));
      const sb = await takeOver(b, target(pool, i));
      echoes.push(sb);
      sb.on('message', (m) => {
        sb.send(m);
        if (!receiver.isCurrent(payloadOf(m))) return;
        if (atB.step !== receiver.step) Object.assign(atB, { step: receiver.step, count: 0 });
        atB.count++;
      });
      sa.on('message', (m) => receiver.onEcho(m));
      lanes.push({ ring: channelRing(chA, size), off: 4, sock: sa });
    }
    const [first, ...more] = lanes;
    const peerReceived = async (s: number): Promise<number> => (atB.step === s ? atB.count : 0);
    return await ladder({ ...first!, more, receiver, peerReceived }, pidsOf(pool), rates, durationS, log);
  } finally {
    for (const s of [...lanes.map((l) => l.sock), ...echoes]) s.close();
  }
}

/** A Binding on every worker's port: all of them answer before the rows are measured. */
export async function checkWorkers(pool: RunningPool): Promise<void> {
  for (const port of pool.ports) {
    const c = await TurnClient.connect({ host: '127.0.0.1', port, rto: 100 });
    try {
      await c.binding();
    } finally {
      await c.close();
    }
  }
}
