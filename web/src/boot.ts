/**
 * The page's boot data (server/http/web-page.ts): JSON in `<script id="sb-boot">`, written by the
 * server into a room page. Missing or malformed data is no data: the client then gets everything
 * from the server as before, a little later.
 */
import type { IceServer } from 'switchboard/client';
import type { BootData } from '../../server/http/web-page.js';

/** What server/http/web-page.ts writes into the page. */
export type Boot = BootData;

const isIceServer = (s: unknown): s is IceServer => {
  if (!s || typeof s !== 'object') return false;
  const { urls, username, credential } = s as Record<string, unknown>;
  return Array.isArray(urls) && urls.every((u) => typeof u === 'string') && (username === undefined || typeof username === 'string') && (credential === undefined || typeof credential === 'string');
};

export function parseBoot(text: string | null | undefined): Boot {
  if (!text) return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return {};
  }
  const ice = (data as { iceServers?: unknown } | null)?.iceServers;
  return Array.isArray(ice) && ice.every(isIceServer) ? { iceServers: ice } : {};
}

export function readBoot(doc: Document = document): Boot {
  return parseBoot(doc.getElementById('sb-boot')?.textContent);
}
