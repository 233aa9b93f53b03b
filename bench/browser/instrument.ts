/**
 * In-page instrumentation for the browser benchmarks, installed with `context.addInitScript` in
 * every page (Switchboard's client, the PeerJS page, the bare page alike) before any page script
 * runs. It records the first time (performance.now(), i.e. ms since the page's navigation started)
 * of each step of a call setup in `window.__bench.marks`:
 *
 *   ws-new / ws-open          first WebSocket created / open (the signaling connection)
 *   ws-out-offer, ws-in-offer, ws-out-answer, ws-in-answer
 *                             first WebSocket message sent / received carrying an offer / answer
 *                             (`"type":"offer"` in Socket.IO's and PeerJS's JSON alike)
 *   ws-in-first               first WebSocket message received (Engine.IO's open packet; PeerJS's OPEN)
 *   ws-out-join, ws-in-join-ack, ws-out-ice-servers, ws-in-ice-servers-ack
 *                             Switchboard's `join` request and its ack (the one carrying
 *                             `resumeKey`), its `ice-servers` request and ack (`"ttl"`)
 *   pc                        first RTCPeerConnection created
 *   local-offer, remote-offer, local-answer, remote-answer
 *                             first setLocalDescription / setRemoteDescription of each type
 *   ice-checking, ice-connected, pc-connected
 *                             ICE / peer connection state changes
 *   dc-open                   first RTCDataChannel 'open' event (either side's channel)
 *   app-connected             Switchboard only: `window.switchboard.state()` shows a peer with
 *                             conn === 'connected', read in the hook's `onChange` callback
 *
 * `marks.origin` is performance.timeOrigin, to put two pages' marks on one clock.
 * Pages add their own marks with `window.__bench.mark(name)`; `window.__bench.path()` reads the
 * selected candidate pair of the page's newest RTCPeerConnection (local and remote candidate types;
 * a local relay candidate as `relay(udp)` / `relay(tcp)`: how it reaches the TURN server; and
 * `relayUrl`, the ICE server URL it came from, when the browser says).
 */
export interface BenchMarks {
  [name: string]: number;
}

export function instrumentPage(): void {
  const w = window as unknown as Record<string, unknown>;
  const marks: Record<string, number> = { origin: performance.timeOrigin };
  const mark = (name: string) => {
    if (!(name in marks)) marks[name] = performance.now();
  };
  const pcs: RTCPeerConnection[] = [];
  const path = async (): Promise<{ local: string; remote: string; relayUrl?: string } | null> => {
    const pc = pcs[pcs.length - 1];
    if (!pc) return null;
    const stats = await pc.getStats();
    let pair: { localCandidateId: string; remoteCandidateId: string } | undefined;
    stats.forEach((s: { type: string; selectedCandidatePairId?: string }) => {
      if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
    });
    if (!pair) return null;
    // A relay candidate also says how it reaches the TURN server (udp / tcp / tls): "relay(udp)".
    const type = (id: string) => {
      const c = stats.get(id) as { candidateType?: string; relayProtocol?: string } | undefined;
      return c?.relayProtocol ? `${c.candidateType}(${c.relayProtocol})` : (c?.candidateType ?? 'unknown');
    };
    // The TURN server a local relay candidate came from (RTCIceCandidateStats.url).
    const url = (stats.get(pair.localCandidateId) as { url?: string } | undefined)?.url;
    return { local: type(pair.localCandidateId), remote: type(pair.remoteCandidateId), ...(url ? { relayUrl: url } : {}) };
  };
  w.__bench = { marks, mark, path };

  const watchChannel = (ch: RTCDataChannel) => {
    if (ch.readyState === 'open') mark('dc-open');
    else ch.addEventListener('open', () => mark('dc-open'));
  };
  const Pc = window.RTCPeerConnection;
  class BenchPeerConnection extends Pc {
    constructor(config?: RTCConfiguration) {
      super(config);
      mark('pc');
      pcs.push(this);
      this.addEventListener('iceconnectionstatechange', () => mark(`ice-${this.iceConnectionState}`));
      this.addEventListener('connectionstatechange', () => mark(`pc-${this.connectionState}`));
      this.addEventListener('datachannel', (e) => watchChannel(e.channel));
    }
    override createDataChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel {
      const ch = super.createDataChannel(label, init);
      watchChannel(ch);
      return ch;
    }
    override setLocalDescription(d?: RTCLocalSessionDescriptionInit): Promise<void> {
      const p = super.setLocalDescription(d);
      void p.then(() => mark(`local-${this.localDescription?.type ?? 'unknown'}`), () => undefined);
      return p;
    }
    override setRemoteDescription(d: RTCSessionDescriptionInit): Promise<void> {
      mark(`remote-${d.type}`);
      return super.setRemoteDescription(d);
    }
  }
  w.RTCPeerConnection = BenchPeerConnection;
  w.webkitRTCPeerConnection = BenchPeerConnection;

  const PATTERNS: Array<[string, RegExp]> = [
    ['ws-out-join', /^\d+\["join"/],
    ['ws-in-join-ack', /"resumeKey"/],
    ['ws-out-ice-servers', /^\d+\["ice-servers"/],
    ['ws-in-ice-servers-ack', /"ttl":/],
  ];
  const sdpMark = (dir: string, data: unknown) => {
    if (typeof data !== 'string') return;
    if (dir === 'ws-in') mark('ws-in-first');
    const m = /"type":"(offer|answer)"/i.exec(data);
    if (m) mark(`${dir}-${m[1]!.toLowerCase()}`);
    for (const [name, re] of PATTERNS) if (name.startsWith(dir) && re.test(data)) mark(name);
  };
  const Ws = window.WebSocket;
  class BenchWebSocket extends Ws {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      mark('ws-new');
      this.addEventListener('open', () => mark('ws-open'));
      this.addEventListener('message', (e: MessageEvent) => sdpMark('ws-in', e.data));
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      sdpMark('ws-out', data);
      super.send(data);
    }
  }
  w.WebSocket = BenchWebSocket;

  // Switchboard's own notion of "connected" (a peer's data channel open), taken when the app says
  // so: its hook (`window.switchboard`, installed when the client starts) calls back on every
  // state change, as PeerJS's `conn.on('open')` does. Only finding the hook is polled, and it is
  // there long before any connection is.
  const connected = (sb: { state(): { peers: Array<{ conn: string }> } }) => sb.state().peers.some((p) => p.conn === 'connected');
  const started = performance.now();
  const find = setInterval(() => {
    const sb = w.switchboard as { state(): { peers: Array<{ conn: string }> }; onChange(fn: () => void): () => void } | undefined;
    if (!sb) {
      if (performance.now() - started > 60_000) clearInterval(find);
      return;
    }
    clearInterval(find);
    if (connected(sb)) return mark('app-connected');
    const off = sb.onChange(() => {
      if (!connected(sb)) return;
      mark('app-connected');
      off();
    });
  }, 5);
}
