/** The soak's figures as text (markdown tables), and its verdict, one line a check. */
import { table } from '../lib/proc.js';
import type { SoakResult } from './churn.js';
import { memoryGrowth, MiB } from './memory.js';

export interface Bounds {
  /** RSS may grow at most this much from the start to the end of the samples after warm-up. */
  rssGrowthMiB: number;
  /** The JS heap after GC likewise (steadier than RSS, so a tighter bound catches smaller leaks). */
  heapGrowthMiB: number;
}

/** Each check of the run: passed or not, and what it measured. */
export function verdict(r: SoakResult, bounds: Bounds): Array<{ ok: boolean; line: string }> {
  const g = memoryGrowth(r.samples);
  const internal = r.errors.internal ?? 0;
  const unexpected = Object.entries(r.errors).filter(([code]) => code !== 'internal');
  const out = [
    { ok: internal === 0, line: `\`internal\` errors received by clients: ${internal} (want 0)` },
    { ok: unexpected.length === 0, line: `other error codes received (room-full and unknown-peer are expected and counted apart): ${unexpected.map(([c, n]) => `${c} ${n}`).join(', ') || 'none'}` },
    { ok: r.problems.length === 0, line: `rosters, signals, server state: ${r.problems.length ? `${r.problems.length} problems` : 'every room matches its clients, every owed signal arrived, nothing left on the server'}` },
  ];
  if (g) {
    out.push(
      { ok: g.rssGrowthMiB < bounds.rssGrowthMiB, line: `RSS after warm-up ${g.rssStartMiB.toFixed(1)} -> ${g.rssEndMiB.toFixed(1)} MiB: ${signed(g.rssGrowthMiB)} MiB (bound ${bounds.rssGrowthMiB}), slope ${signed(g.rssSlopeMiBPerMin, 2)} MiB/min, max ${g.rssMaxMiB.toFixed(1)}` },
      { ok: g.heapGrowthMiB < bounds.heapGrowthMiB, line: `JS heap after GC, after warm-up: ${signed(g.heapGrowthMiB, 2)} MiB (bound ${bounds.heapGrowthMiB})` },
    );
  } else {
    out.push({ ok: false, line: 'memory: fewer than 2 samples after warm-up (a longer run, or more samples)' });
  }
  return out;
}

const signed = (x: number, digits = 1) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;

/** Counters, error codes and (up to `maxRows` evenly spaced) memory samples. */
export function formatFigures(r: SoakResult, maxRows = 24): string {
  const c = r.counts;
  const s = r.churnMs / 1000;
  const rows: Array<[string, string | number]> = [
    ['churn', `${s.toFixed(0)} s`],
    ['operations', `${c.ops} (${(c.ops / s).toFixed(1)}/s)`],
    ['joins (new peer / in the handshake)', `${c.joins} / ${c.handshakeJoins}`],
    ['rejoins after leave (same socket)', c.rejoins],
    ['drops (no goodbye)', c.drops],
    ['resumes (started after the grace: late)', `${c.resumes} (${c.lateResumes} late)`],
    ['dropped and never back', c.abandons],
    ['leaves', c.leaves],
    ['disconnects', c.disconnects],
    ['room-full refusals', c.roomFull],
    ['ice-servers requests', c.iceRequests],
    ['signals sent / acked / delivered', `${c.signalsSent} / ${c.signalsAcked} / ${c.signalsDelivered} (${(c.signalsSent / s).toFixed(1)}/s)`],
    ['signals to a peer gone (unknown-peer) / sender dropped first', `${c.signalsRefused} / ${c.signalsUnanswered}`],
    ['peer-joined / peer-left events', `${c.peerJoinedEvents} / ${c.peerLeftEvents}`],
    ['error codes received', Object.entries(r.errors).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'],
  ];
  const parts = [table(['figure', 'value'], rows)];
  if (r.samples.length) {
    const step = Math.max(1, Math.ceil(r.samples.length / maxRows));
    const picked = r.samples.filter((_, i) => i % step === 0 || i === r.samples.length - 1);
    parts.push(
      table(
        ['t s', 'phase', 'RSS MiB', 'heap MiB', 'sockets', 'rooms', 'peers', 'livePeers', 'pending'],
        picked.map((x) => [(x.at / 1000).toFixed(0), x.warmup ? 'warm-up' : 'churn', (x.rss / MiB).toFixed(1), (x.heapUsed / MiB).toFixed(1), x.stats.sockets, x.stats.rooms, x.stats.peers, x.stats.livePeers, x.stats.pendingDepartures]),
      ),
    );
  }
  if (r.before && r.after) {
    parts.push(`Server with no clients: before the soak RSS ${(r.before.rss / MiB).toFixed(1)} MiB, heap ${(r.before.heapUsed / MiB).toFixed(1)} MiB; after it RSS ${(r.after.rss / MiB).toFixed(1)} MiB, heap ${(r.after.heapUsed / MiB).toFixed(1)} MiB.`);
  }
  if (r.problems.length) parts.push(['Problems:', ...r.problems.map((p) => `- ${p}`)].join('\n'));
  return parts.join('\n\n');
}
