/**
 * The web client's one HTML page (`/` and `/r/<room>`), rendered per request.
 *
 * The build (scripts/build-web.mjs) writes `page.html` with the whole client script inline. Inline,
 * because a script file is a second request that a new visitor waits for before anything can
 * start: measured 50-70 ms on the call-setup path (bench/README.md, "Call setup"). The CSP allows
 * that one script by its SHA-256, which is computed here from the page itself, so a page and its
 * hash can never disagree (a deploy that copies files one by one included). The page also carries
 * boot data, as JSON the browser does not run: for a room page, the ICE servers (TURN
 * credentials), so the client can prepare its first offer while its signaling connection is still
 * opening. They are handed out on the same terms as `GET /api/ice-servers` (with ROOM_SECRET set,
 * only with a valid room token), and the page is `no-store`, since it holds credentials.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
/** Where the boot data goes in page.html; the client script is the first <script> after it. */
export const BOOT_MARKER = '<!--sb-boot-->';
/** JSON that cannot end its <script> element early (`</script>`, `<!--`). */
export function bootJson(data) {
    return JSON.stringify(data).replace(/</g, '\\u003c');
}
export function renderPage(p, boot) {
    const data = boot ? `<script id="sb-boot" type="application/json">${bootJson(boot)}</script>` : '';
    return p.before + data + p.after;
}
/** Splits a built page at the boot marker and hashes its inline script; null if it is not one. */
export function parsePage(html) {
    const at = html.indexOf(BOOT_MARKER);
    if (at < 0)
        return null;
    const after = html.slice(at + BOOT_MARKER.length);
    const open = after.indexOf('<script>');
    const close = after.indexOf('</script>', open);
    if (open < 0 || close < 0)
        return null;
    const script = after.slice(open + '<script>'.length, close);
    return { before: html.slice(0, at), after, scriptHash: `'sha256-${createHash('sha256').update(script).digest('base64')}'` };
}
export class WebPage {
    root;
    cached = null;
    constructor(root) {
        this.root = root;
    }
    /**
     * The built page, read again when `page.html` changes (`npm run build:web` while running). Never
     * throws: a missing or broken build is a reason, shown by the page routes only.
     */
    current() {
        const file = join(this.root, 'page.html');
        let key;
        try {
            const st = statSync(file);
            key = `${st.mtimeMs}:${st.size}`;
        }
        catch {
            return { ok: false, reason: 'web client not built: run `npm run build:web`' };
        }
        if (this.cached?.key === key)
            return this.cached.state;
        let state;
        try {
            const page = parsePage(readFileSync(file, 'utf8'));
            state = page ? { ok: true, page } : { ok: false, reason: `${file} is not a page built by scripts/build-web.mjs: run \`npm run build:web\`` };
        }
        catch (err) {
            state = { ok: false, reason: `cannot read ${file}: ${err instanceof Error ? err.message : String(err)}` };
        }
        this.cached = { key, state };
        return state;
    }
}
//# sourceMappingURL=web-page.js.map