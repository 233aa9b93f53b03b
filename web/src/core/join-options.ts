/**
 * `joinRoom`'s options, checked before anything connects: a wrong option is a SwitchboardError
 * (`invalid-argument`) naming the option and what is wrong, never a silent default.
 */
import { SwitchboardError } from './errors.js';
import type { JoinRoomOptions } from './client-types.js';

/** The room-name rule, the same as the server's (server/protocol/schemas.ts; a test keeps them equal). */
export const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A display name as the server takes one (server/protocol/schemas.ts `displayName`): at most 64 characters, no control characters. */
export const isDisplayName = (v: unknown): v is string => typeof v === 'string' && v.length <= 64 && !/[\u0000-\u001f\u007f]/.test(v);

const KNOWN = new Set(['url', 'room', 'name', 'token', 'iceServers', 'relayOnly', 'rtc', 'path', 'transports', 'negotiationTimeoutMs', 'statsIntervalMs', 'iceDisconnectedGraceMs', 'iceRestartTimeoutMs', 'transferResumeWindowMs']);

function bad(option: string, what: string): never {
  throw new SwitchboardError('invalid-argument', `joinRoom: \`${option}\` ${what}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkJoinOptions(o: unknown): JoinRoomOptions {
  if (!isObject(o)) bad('options', 'must be an object such as { url, room }');
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) bad(k, `is not an option (known: ${[...KNOWN].join(', ')})`);
  if (typeof o.url !== 'string') bad('url', 'must be the server URL as a string, e.g. "https://calls.example.com"');
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    bad('url', `is not a URL: ${JSON.stringify(o.url)}`);
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) bad('url', `must be http(s) or ws(s), not ${url.protocol}`);
  // socket.io-client would take a path as a namespace ("Invalid namespace", retried for ever).
  if (url.pathname !== '/' || url.search || url.hash) bad('url', `must be the server's origin (scheme, host and port), not ${JSON.stringify(o.url)}: give Socket.IO's path as \`path\` (e.g. "/rtc/socket.io")`);
  if (typeof o.room !== 'string' || !ROOM_PATTERN.test(o.room)) bad('room', 'must be 1-64 characters of A-Z a-z 0-9 _ -');
  if (o.name !== undefined && !isDisplayName(o.name)) {
    bad('name', 'must be a string of at most 64 characters without control characters');
  }
  if (o.token !== undefined && (typeof o.token !== 'string' || o.token.length === 0 || o.token.length > 4096)) bad('token', 'must be a non-empty string (at most 4096 characters, as the server takes)');
  if (o.iceServers !== undefined) {
    if (!Array.isArray(o.iceServers)) bad('iceServers', 'must be an array of { urls, username?, credential? }');
    o.iceServers.forEach((s: unknown, i) => {
      const urls = isObject(s) ? s.urls : undefined;
      const list = typeof urls === 'string' ? [urls] : urls;
      if (!isObject(s) || !Array.isArray(list) || list.length === 0 || !list.every((u) => typeof u === 'string' && /^(stun|stuns|turn|turns):/.test(u))) {
        bad(`iceServers[${i}].urls`, 'must be a stun:, stuns:, turn: or turns: URL, or a non-empty array of them');
      }
      for (const f of ['username', 'credential'] as const) if (s[f] !== undefined && typeof s[f] !== 'string') bad(`iceServers[${i}].${f}`, 'must be a string');
    });
  }
  if (o.relayOnly !== undefined && typeof o.relayOnly !== 'boolean') bad('relayOnly', 'must be true or false');
  if (o.rtc !== undefined && (!isObject(o.rtc) || typeof o.rtc.RTCPeerConnection !== 'function')) bad('rtc', 'must be an object with an RTCPeerConnection constructor (e.g. werift\'s)');
  if (o.path !== undefined && (typeof o.path !== 'string' || !o.path.startsWith('/'))) bad('path', 'must be a path starting with "/", e.g. "/socket.io"');
  if (o.transports !== undefined && (!Array.isArray(o.transports) || o.transports.length === 0 || !o.transports.every((t) => t === 'websocket' || t === 'polling'))) {
    bad('transports', 'must be a non-empty array of "websocket" and "polling"');
  }
  for (const k of ['negotiationTimeoutMs', 'statsIntervalMs'] as const) {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 100 || v > 600_000)) bad(k, 'must be a number of milliseconds from 100 to 600000');
  }
  for (const [k, min, max] of [['iceDisconnectedGraceMs', 0, 60_000], ['iceRestartTimeoutMs', 1000, 120_000], ['transferResumeWindowMs', 0, 600_000]] as const) {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)) bad(k, `must be a number of milliseconds from ${min} to ${max}`);
  }
  const out = { ...o } as unknown as JoinRoomOptions;
  // A single URL string is what RTCIceServer allows too; inside, every entry has a list.
  if (o.iceServers) out.iceServers = (o.iceServers as Array<Record<string, unknown>>).map((s) => ({ ...s, urls: typeof s.urls === 'string' ? [s.urls] : (s.urls as string[]) }));
  return out;
}
