/** Benchmark clients: Switchboard over raw Engine.IO/Socket.IO frames, and the bare ws relay's client. */
import WebSocket from 'ws';

export interface Peer {
  join(room: string): Promise<string[]>;
  send(to: string, payload: string): void;
  onMessage(cb: (from: string, payload: string) => void): void;
  close(): void;
}

/**
 * A Switchboard client speaking Engine.IO v4 / Socket.IO v5 frames over a raw `ws` socket, so the
 * load generator costs the same per message for both servers and the figures measure the servers.
 * Frames: "0{...}" open, "40" connect, "42[event,data]" event, "42<id>[...]"/"43<id>[...]" ack, "2"/"3" ping/pong.
 */
export function switchboardPeer(url: string, o: { room?: string; localAddress?: string } = {}): Promise<Peer> {
  // `room` in the URL as the SDK sends it (a cluster's load balancer hashes it; bench/cluster).
  const query = o.room ? `&room=${encodeURIComponent(o.room)}` : '';
  const ws = new WebSocket(`ws://${url}/socket.io/?EIO=4&transport=websocket${query}`, o.localAddress ? { localAddress: o.localAddress } : {});
  let onSignal: ((from: string, payload: string) => void) | undefined;
  let ackWaiter: ((v: unknown) => void) | undefined;
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (raw) => {
      const m = raw.toString();
      if (m === '2') return ws.send('3');
      if (m.startsWith('0')) return ws.send('40');
      if (m.startsWith('40')) {
        return resolve({
          join: (room) =>
            new Promise((res, rej) => {
              ackWaiter = (v) => {
                const ack = (v as Array<{ ok: boolean; peers: Array<{ id: string }> }>)[0]!;
                if (!ack.ok) rej(new Error(JSON.stringify(ack)));
                else res(ack.peers.map((p) => p.id));
              };
              ws.send(`421${JSON.stringify(['join', { room }])}`);
            }),
          send: (to, payload) =>
            ws.send(`42${JSON.stringify(['signal', { to, data: { type: 'candidate', candidate: { candidate: payload, sdpMid: '0', sdpMLineIndex: 0 } } }])}`),
          onMessage: (cb) => (onSignal = cb),
          close: () => ws.close(),
        });
      }
      if (m.startsWith('431')) return ackWaiter?.(JSON.parse(m.slice(3)));
      if (m.startsWith('42["signal"')) {
        const [, msg] = JSON.parse(m.slice(2)) as [string, { from: string; data: { candidate: { candidate: string } } }];
        onSignal?.(msg.from, msg.data.candidate.candidate);
      }
    });
  });
}

export function barePeer(url: string): Promise<Peer> {
  const ws = new WebSocket(`ws://${url}`);
  const handlers: Array<(m: { t: string; from?: string; data?: string; peers?: string[] }) => void> = [];
  ws.on('message', (raw) => {
    const m = JSON.parse(raw.toString());
    for (const h of handlers) h(m);
  });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        join: (room) =>
          new Promise((res) => {
            const h = (m: { t: string; peers?: string[] }) => {
              if (m.t !== 'joined') return;
              handlers.splice(handlers.indexOf(h), 1);
              res(m.peers!);
            };
            handlers.push(h);
            ws.send(JSON.stringify({ t: 'join', room }));
          }),
        send: (to, payload) => ws.send(JSON.stringify({ t: 'sig', to, data: payload })),
        onMessage: (cb) => handlers.push((m) => m.t === 'sig' && cb(m.from!, m.data!)),
        close: () => ws.close(),
      }),
    );
  });
}

