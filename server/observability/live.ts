/**
 * Live figures once a second, for `GET /api/events` (Server-Sent Events) and the dashboard.
 * Each event has an `id:`; a client that reconnects with Last-Event-ID gets the samples it missed
 * from a short ring buffer, so `EventSource` resumes without gaps.
 */
import type { Request, Response } from 'express';

export interface Sample {
  id: number;
  t: number;
  sockets: number;
  rooms: number;
  peers: number;
  signalsPerSec: number;
  relayMbps: number;
  allocations: number;
}

export interface LiveSources {
  counts(): Promise<{ sockets: number; rooms: number; peers: number }>;
  signalsTotal(): number;
  relay(): Promise<{ bytes: number; allocations: number } | null>;
}

const KEEP = 120;

export class LiveFeed {
  private readonly ring: Sample[] = [];
  private readonly clients = new Set<Response>();
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;
  private last: { t: number; signals: number; bytes: number } | undefined;

  constructor(
    private readonly sources: LiveSources,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private async tick(): Promise<void> {
    try {
      const t = Date.now();
      const [counts, relay] = await Promise.all([this.sources.counts(), this.sources.relay()]);
      const signals = this.sources.signalsTotal();
      const bytes = relay?.bytes ?? 0;
      const dt = this.last ? (t - this.last.t) / 1000 : 0;
      const sample: Sample = {
        id: ++this.seq,
        t,
        ...counts,
        signalsPerSec: dt > 0 ? Math.max(0, (signals - this.last!.signals) / dt) : 0,
        relayMbps: dt > 0 ? Math.max(0, ((bytes - this.last!.bytes) * 8) / dt / 1e6) : 0,
        allocations: relay?.allocations ?? 0,
      };
      this.last = { t, signals, bytes };
      this.ring.push(sample);
      if (this.ring.length > KEEP) this.ring.shift();
      for (const res of this.clients) write(res, sample);
    } catch {
      // A failed sample (relay restarting) is skipped; the next tick tries again.
    }
  }

  /** GET /api/events */
  handle = (req: Request, res: Response): void => {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 2000\n\n`);
    const lastId = Number(req.get('last-event-id'));
    if (Number.isInteger(lastId) && lastId > 0) {
      for (const s of this.ring) if (s.id > lastId) write(res, s);
    } else if (this.ring.length) {
      write(res, this.ring[this.ring.length - 1]!);
    }
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  };

  get subscribers(): number {
    return this.clients.size;
  }
}

function write(res: Response, s: Sample): void {
  res.write(`id: ${s.id}\nevent: sample\ndata: ${JSON.stringify(s)}\n\n`);
}
