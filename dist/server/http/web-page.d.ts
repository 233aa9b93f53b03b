import type { IceServer } from '../protocol/index.js';
/** What the page hands the client before it connects (web/src/boot.ts reads it). */
export interface BootData {
    iceServers?: IceServer[];
}
/** Where the boot data goes in page.html; the client script is the first <script> after it. */
export declare const BOOT_MARKER = "<!--sb-boot-->";
export interface LoadedPage {
    before: string;
    after: string;
    /** CSP source for the inline script: `'sha256-...'`. */
    scriptHash: string;
}
export type PageState = {
    ok: true;
    page: LoadedPage;
} | {
    ok: false;
    reason: string;
};
/** JSON that cannot end its <script> element early (`</script>`, `<!--`). */
export declare function bootJson(data: BootData): string;
export declare function renderPage(p: LoadedPage, boot: BootData | null): string;
/** Splits a built page at the boot marker and hashes its inline script; null if it is not one. */
export declare function parsePage(html: string): LoadedPage | null;
export declare class WebPage {
    private readonly root;
    private cached;
    constructor(root: string);
    /**
     * The built page, read again when `page.html` changes (`npm run build:web` while running). Never
     * throws: a missing or broken build is a reason, shown by the page routes only.
     */
    current(): PageState;
}
