/**
 * The web client's one HTML page (`/` and `/r/<room>`), rendered per request.
 *
 * The build (scripts/build-web.mjs) writes `page.html` with the whole client script inline, and
 * `page.json` with that script's CSP hash. Inline, because a script file is a second request that
 * a new visitor waits for before anything can start: measured 50-70 ms on the call-setup path
 * (bench/README.md, "Call setup"). The page also carries boot data, as JSON the browser does not
 * run: for a room page, the ICE servers (TURN credentials), so the client can prepare its first
 * offer while its signaling connection is still opening. They are handed out on the same terms as
 * `GET /api/ice-servers` (with ROOM_SECRET set, only with a valid room token), and the page is
 * `no-store`, since it holds credentials.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { IceServer } from '../protocol/index.js';

/** What the page hands the client before it connects (web/src/boot.ts reads it). */
export interface BootData {
  iceServers?: IceServer[];
}

/** Where the boot data goes in page.html. */
export const BOOT_MARKER = '<!--sb-boot-->';

interface Loaded {
  mtimeMs: number;
  before: string;
  after: string;
  /** CSP source for the inline script: `'sha256-...'`. */
  scriptHash: string;
}

/** JSON that cannot end its <script> element early (`</script>`, `<!--`). */
export function bootJson(data: BootData): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

export class WebPage {
  private loaded: Loaded | null = null;

  constructor(private readonly root: string) {}

  /** The page with `boot` in it, or null when the client is not built. */
  render(boot: BootData | null): string | null {
    const p = this.load();
    if (!p) return null;
    const data = boot ? `<script id="sb-boot" type="application/json">${bootJson(boot)}</script>` : '';
    return p.before + data + p.after;
  }

  /** The CSP `script-src` source that allows the page's inline script ("'self'" when not built). */
  scriptSource(): string {
    return this.load()?.scriptHash ?? "'self'";
  }

  /** Reads the build once, and again when it changes (`npm run build:web` while running). */
  private load(): Loaded | null {
    const file = join(this.root, 'page.html');
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      return null;
    }
    if (this.loaded?.mtimeMs === mtimeMs) return this.loaded;
    const html = readFileSync(file, 'utf8');
    const at = html.indexOf(BOOT_MARKER);
    const meta = JSON.parse(readFileSync(join(this.root, 'page.json'), 'utf8')) as { scriptHash?: unknown };
    if (at < 0 || typeof meta.scriptHash !== 'string') throw new Error(`${file}: not a page built by scripts/build-web.mjs (rebuild with npm run build:web)`);
    this.loaded = { mtimeMs, before: html.slice(0, at), after: html.slice(at + BOOT_MARKER.length), scriptHash: `'${meta.scriptHash}'` };
    return this.loaded;
  }
}
