/**
 * Chromium for tests: find it, build its flags, and run it inside a network namespace through a
 * wrapper script (`exec ip netns exec NS chromium "$@"`; Playwright's debugging pipe survives exec).
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';

export const CHROMIUM_MISSING = 'chromium not found: apt-get install chromium';

/** A Playwright-installed Chromium if there is one, else Debian's /usr/bin/chromium. */
export function findChromium(): string {
  try {
    const p = chromium.executablePath();
    if (p && existsSync(p)) return p;
  } catch {
    /* no Playwright browser installed */
  }
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  throw new Error(CHROMIUM_MISSING);
}

export interface ChromiumFlags {
  /** Fake camera and microphone, permission granted without a prompt. */
  fakeMedia?: boolean;
  /** http origins to treat as secure (getUserMedia on a non-localhost address). */
  secureOrigins?: string[];
  extra?: string[];
}

export function chromiumArgs(f: ChromiumFlags = {}): string[] {
  const args = [
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-extensions',
    '--mute-audio',
    '--autoplay-policy=no-user-gesture-required',
  ];
  if (f.fakeMedia) args.push('--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream');
  if (f.secureOrigins?.length) args.push(`--unsafely-treat-insecure-origin-as-secure=${f.secureOrigins.join(',')}`);
  return [...args, ...(f.extra ?? [])];
}

/** Write `dir/chromium-NS.sh` that runs `executable` inside namespace `ns`. */
export function namespaceWrapper(ns: string, executable: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `chromium-${ns}.sh`);
  writeFileSync(path, `#!/bin/sh\nexec ip netns exec ${ns} ${executable} "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

export async function launchChromium(executablePath: string, flags: ChromiumFlags = {}): Promise<Browser> {
  return chromium.launch({ executablePath, args: chromiumArgs(flags), timeout: 30_000 });
}

/** A fresh context + page, with console errors collected for failure messages. */
export async function openPage(
  browser: Browser,
  url: string,
  viewport = { width: 1280, height: 800 },
  /** Runs on the new context before the first navigation (routes, init scripts). */
  setup?: (context: BrowserContext) => Promise<void>,
): Promise<{ context: BrowserContext; page: Page; logs: string[] }> {
  const context = await browser.newContext({ viewport, permissions: ['camera', 'microphone'] });
  await setup?.(context);
  const page = await context.newPage();
  const logs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') logs.push(`[${m.type()}] ${m.text()}`);
  });
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  await page.goto(url);
  return { context, page, logs };
}

/**
 * Poll `fn` until it returns a truthy value (returned) or `timeoutMs` passes (throws, with the
 * last value seen). Used instead of sleeps and instead of page.waitForFunction with async bodies.
 */
export async function poll<T>(what: string, fn: () => Promise<T> | T, timeoutMs = 15_000, everyMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  let lastErr: unknown;
  for (;;) {
    try {
      last = await fn();
      if (last) return last as NonNullable<T>;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      const detail = lastErr ? `last error: ${String(lastErr)}` : `last value: ${JSON.stringify(last)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${detail})`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Puts a random file of `size` bytes in the page's file input (`[data-testid=file-input]`), made
 * in the page (through setInputFiles tens of MB cost many seconds of CDP). Resolves with its
 * SHA-256 from WebCrypto, independent of the client's own incremental SHA-256.
 */
export function randomFileInPage(page: Page, size: number, name: string): Promise<string> {
  return page.evaluate(
    async ([n, fileName]) => {
      const bytes = new Uint8Array(n);
      for (let off = 0; off < n; off += 65536) crypto.getRandomValues(bytes.subarray(off, off + 65536));
      const input = document.querySelector('[data-testid=file-input]') as HTMLInputElement;
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], fileName, { type: 'application/octet-stream' }));
      input.files = dt.files;
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
    },
    [size, name] as const,
  );
}
