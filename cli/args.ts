/**
 * The command line, parsed and checked before anything connects (node:util parseArgs: no
 * dependency needed for three commands). A wrong argument is a UsageError naming it (exit 2).
 */
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { isDisplayName, ROOM_PATTERN } from '../web/src/core/join-options.js';

export class UsageError extends Error {}

export const USAGE = `Usage:
  switchboard send <file> --server <url> --room <room> [options]
  switchboard receive --server <url> --room <room> [--out <dir>] [options]
  switchboard serve [--port <n>] [--host <address>]
  switchboard conformance --server <url> --room <room> [options]

conformance plays the other peer of the room against a client under test (the first peer already
in the room, or else the next to join), prints one PASS or FAIL line per check, and exits 1 when
a check failed (docs/protocol.md, "Conformance"). It takes the options of send and receive but
--out; its name defaults to "conformance".

Options of send, receive and conformance:
  --server <url>     the Switchboard server (http:// or https://)
  --room <room>      the room (1-64 characters of A-Z a-z 0-9 _ -)
  --name <name>      the name others see (default: "terminal")
  --token <token>    the room token, when the server requires one
  --relay            connect through the server's TURN relay only
  --wait <seconds>   how long to wait for the server and for a peer (default 60)
  --path <path>      Socket.IO's path on the server (default /socket.io; /rtc/socket.io for a
                     server embedded at /rtc)
  --ice-address <ip> gather host candidates on this local address only (default: every interface)
  --out <dir>        receive: where the file goes (default: the current directory)

Peer connections run on werift (WebRTC in TypeScript): data channels only (no audio or video),
directly over UDP or through the server's TURN relay (over UDP; werift falls back to TCP when
UDP fails). TURN over TLS is not tested from the terminal. Files are read and written in chunks;
a received file is held in memory until it is verified, then written.`;

export interface PeerArgs {
  server: string;
  room: string;
  name: string;
  token: string | undefined;
  relay: boolean;
  waitMs: number;
  iceAddress: string | undefined;
  /** Socket.IO's path on the server (an embedded one: `<attach path>/socket.io`). */
  path: string | undefined;
}

export type Command =
  | { cmd: 'send'; file: string; peer: PeerArgs }
  | { cmd: 'receive'; out: string; peer: PeerArgs }
  | { cmd: 'serve'; port: string | undefined; host: string | undefined }
  | { cmd: 'conformance'; peer: PeerArgs }
  | { cmd: 'help' };

const PEER_OPTIONS = {
  server: { type: 'string' },
  room: { type: 'string' },
  name: { type: 'string' },
  token: { type: 'string' },
  relay: { type: 'boolean' },
  wait: { type: 'string' },
  out: { type: 'string' },
  'ice-address': { type: 'string' },
  path: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function peerArgs(v: Record<string, string | boolean | undefined>, defaultName = 'terminal'): PeerArgs {
  const server = v.server;
  if (typeof server !== 'string') throw new UsageError('--server <url> is required');
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new UsageError(`--server: not a URL: ${server}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--server: must be http:// or https://, not ${url.protocol}`);
  const room = v.room;
  if (typeof room !== 'string') throw new UsageError('--room <room> is required');
  if (!ROOM_PATTERN.test(room)) throw new UsageError('--room: 1-64 characters of A-Z a-z 0-9 _ -');
  const name = typeof v.name === 'string' ? v.name : defaultName;
  if (!isDisplayName(name)) throw new UsageError('--name: at most 64 characters, no control characters');
  const wait = typeof v.wait === 'string' ? Number(v.wait) : 60;
  if (!Number.isFinite(wait) || wait < 1 || wait > 86_400) throw new UsageError('--wait: a number of seconds from 1 to 86400');
  const token = typeof v.token === 'string' ? v.token : undefined;
  if (token !== undefined && (token.length === 0 || token.length > 4096)) throw new UsageError('--token: 1-4096 characters');
  const ice = v['ice-address'];
  if (ice !== undefined && (typeof ice !== 'string' || isIP(ice) === 0)) throw new UsageError(`--ice-address: not an IP address: ${String(ice)}`);
  if (url.pathname !== '/' || url.search) throw new UsageError(`--server: the server's origin only (scheme, host, port); give Socket.IO's path with --path`);
  const path = v.path;
  if (path !== undefined && (typeof path !== 'string' || !/^(\/[A-Za-z0-9._~-]+)+$/.test(path))) throw new UsageError('--path: a path like /rtc/socket.io');
  return { path, iceAddress: ice, server: url.origin, room, name, token, relay: v.relay === true, waitMs: wait * 1000 };
}

export function parseCommand(argv: string[]): Command {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') return { cmd: 'help' };
  let parsed: ReturnType<typeof parseArgs<{ options: typeof PEER_OPTIONS & { port: { type: 'string' }; host: { type: 'string' } }; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: rest, options: { ...PEER_OPTIONS, port: { type: 'string' }, host: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { cmd: 'help' };
  const only = (allowed: string[]) => {
    const extra = Object.keys(v).filter((k) => !allowed.includes(k));
    if (extra.length) throw new UsageError(`${cmd} takes no --${extra[0]}`);
  };
  switch (cmd) {
    case 'send': {
      only(['server', 'room', 'name', 'token', 'relay', 'wait', 'ice-address', 'path']);
      if (positionals.length !== 1) throw new UsageError('send takes exactly one <file>');
      return { cmd: 'send', file: positionals[0]!, peer: peerArgs(v) };
    }
    case 'receive': {
      only(['server', 'room', 'name', 'token', 'relay', 'wait', 'ice-address', 'path', 'out']);
      if (positionals.length) throw new UsageError(`receive takes no file (got ${positionals[0]}); use --out <dir>`);
      return { cmd: 'receive', out: typeof v.out === 'string' ? v.out : '.', peer: peerArgs(v) };
    }
    case 'serve': {
      only(['port', 'host']);
      if (positionals.length) throw new UsageError(`serve takes no arguments (got ${positionals[0]})`);
      return { cmd: 'serve', port: v.port, host: v.host };
    }
    case 'conformance': {
      only(['server', 'room', 'name', 'token', 'relay', 'wait', 'ice-address', 'path']);
      if (positionals.length) throw new UsageError(`conformance takes no arguments (got ${positionals[0]})`);
      return { cmd: 'conformance', peer: peerArgs(v, 'conformance') };
    }
    default:
      throw new UsageError(`unknown command: ${cmd}`);
  }
}
