/**
 * Who is speaking: the audio level of each tile's stream from a WebAudio AnalyserNode (RMS of the
 * waveform, 0..1), sampled a few times a second; the active speaker is the loudest above a floor,
 * kept for a moment so the highlight does not flicker between words.
 */

/** Levels under this are silence (room noise, the fake microphone's gaps). */
export const SPEAKING_FLOOR = 0.02;
/** How long the last speaker stays highlighted after going quiet, ms. */
const HOLD_MS = 1200;
const SAMPLE_MS = 120;

interface Meter {
  trackId: string;
  source: MediaStreamAudioSourceNode;
  analyser: AnalyserNode;
  buf: Float32Array<ArrayBuffer>;
  level: number;
}

/** Picks the active speaker from levels: pure, so the rule is tested without audio. */
export function pickSpeaker(levels: Map<string, number>, previous: string | null, lastLoudAt: number, now: number): { speaker: string | null; loudAt: number } {
  let best: string | null = null;
  let max = SPEAKING_FLOOR;
  for (const [k, v] of levels) if (v > max) [best, max] = [k, v];
  if (best) return { speaker: best, loudAt: now };
  if (previous && levels.has(previous) && now - lastLoudAt < HOLD_MS) return { speaker: previous, loudAt: lastLoudAt };
  return { speaker: null, loudAt: lastLoudAt };
}

export class SpeakerMeter {
  private ctx: AudioContext | null = null;
  private readonly meters = new Map<string, Meter>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private speaker: string | null = null;
  private loudAt = 0;

  constructor(private readonly onSample: (levels: Map<string, number>, speaker: string | null) => void) {}

  /** Measures `stream`'s audio under `key` (null, or no audio track: not measured). */
  watch(key: string, stream: MediaStream | null): void {
    const track = stream?.getAudioTracks().find((t) => t.readyState === 'live') ?? null;
    const m = this.meters.get(key);
    if (m && m.trackId === track?.id) return;
    if (m) this.drop(key);
    if (!track || typeof AudioContext === 'undefined') return;
    this.ctx ??= this.makeContext();
    const source = this.ctx.createMediaStreamSource(new MediaStream([track]));
    const analyser = this.ctx.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser); // not to the destination: the <video> plays the sound
    this.meters.set(key, { trackId: track.id, source, analyser, buf: new Float32Array(analyser.fftSize), level: 0 });
    this.timer ??= setInterval(() => this.sample(), SAMPLE_MS);
  }

  /** Keeps only these keys. */
  retain(keys: Set<string>): void {
    for (const k of [...this.meters.keys()]) if (!keys.has(k)) this.drop(k);
  }

  private drop(key: string): void {
    const m = this.meters.get(key);
    if (!m) return;
    m.source.disconnect();
    this.meters.delete(key);
    if (this.meters.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private makeContext(): AudioContext {
    const ctx = new AudioContext();
    // Browsers start an AudioContext suspended until the page is interacted with.
    const resume = () => void ctx.resume().catch(() => undefined);
    if (ctx.state === 'suspended') {
      resume();
      for (const ev of ['pointerdown', 'keydown']) document.addEventListener(ev, resume, { once: true });
    }
    return ctx;
  }

  private sample(): void {
    const levels = new Map<string, number>();
    for (const [k, m] of this.meters) {
      m.analyser.getFloatTimeDomainData(m.buf);
      let sum = 0;
      for (const x of m.buf) sum += x * x;
      const rms = Math.sqrt(sum / m.buf.length);
      // Fast attack, slow release: a meter people can read.
      m.level = rms > m.level ? rms : m.level * 0.7 + rms * 0.3;
      levels.set(k, m.level);
    }
    const now = Date.now();
    ({ speaker: this.speaker, loudAt: this.loudAt } = pickSpeaker(levels, this.speaker, this.loudAt, now));
    this.onSample(levels, this.speaker);
  }
}
