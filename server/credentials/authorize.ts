/**
 * The authorize hook: an app that embeds the server decides who may join, from its own session
 * (a cookie, a header, anything in the Socket.IO handshake). `createApp(config, { authorize })`.
 *
 * It runs for every join (the `join` event, a join in the handshake, a resume), after the payload
 * was validated, the room token checked (ROOM_SECRET / ROOM_JWT_*) and a resume key verified, and
 * before the peer enters the room. Its verdict:
 *
 * - `true`: allow;
 * - `{ deny: reason }`: refuse; the client gets `unauthorized` with `reason` as the message;
 * - `{ name }`: allow under this display name (validated like a join's `name`).
 *
 * The hook is the app's code, so its failures are the server's, not the peer's, and never let a
 * join through: a hook that throws, rejects, returns something else or an invalid name answers
 * `internal`; one that has not answered within AUTHORIZE_TIMEOUT_MS answers `unavailable` (retry).
 * Either way the join is refused and the error logged; the server goes on.
 */
import { displayName } from '../protocol/schemas.js';

/** What the hook may answer: allow, refuse with a reason for the client, or allow under a new name. */
export type AuthorizeResult = true | { deny: string } | { name: string };

/**
 * Decides one join; may be async. See {@link AuthorizeResult} for the answers and the module
 * comment for when it runs. It must not keep the request object: it is frozen and per join.
 */
export type AuthorizeHook = (request: AuthorizeRequest) => AuthorizeResult | Promise<AuthorizeResult>;

/** The join being decided. Every field is read-only (frozen). */
export interface AuthorizeRequest {
  /** The room asked for (a valid room name). */
  readonly room: string;
  /**
   * The display name the peer would have: the join's `name`, trimmed, or the `name` claim of its
   * JWT room token when it has one; `''` when neither.
   */
  readonly name: string;
  /** The join's `token` as sent (already verified when room tokens are on); undefined without one. */
  readonly token: string | undefined;
  /** The verified claims of a JWT room token; undefined when the join carried none (or an HMAC token). */
  readonly claims: Readonly<Record<string, unknown>> | undefined;
  /** True when the join is a `resume` (its key was verified): a peer coming back under its id. */
  readonly resume: boolean;
  /** The Socket.IO handshake of the connection the join came on. */
  readonly handshake: HandshakeInfo;
}

/** A read-only copy of the parts of the Socket.IO handshake an app checks a session with. */
export interface HandshakeInfo {
  /** The HTTP request headers of the handshake (lower-case names): `cookie`, `authorization`, `origin`... */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The client's address; with TRUST_PROXY=true, the first X-Forwarded-For entry (as the connection limit counts it). */
  readonly address: string;
  /** The client's `auth` object (socket.io-client's `auth` option), e.g. `{ join, session }`. */
  readonly auth: Readonly<Record<string, unknown>>;
  /** The query string of the handshake URL. */
  readonly query: Readonly<Record<string, string | string[] | undefined>>;
}

/** The hook's verdict, normalised: allowed (maybe renamed) or refused with the code and message to answer. */
export type AuthorizeOutcome =
  | { ok: true; name: string }
  | { ok: false; code: 'unauthorized' | 'unavailable' | 'internal'; message: string; cause?: unknown };

/** A client sees at most this much of an app's denial reason. */
const MAX_REASON = 256;

class HookTimeout extends Error {}

/**
 * Runs `hook` for `request`, bounded by `timeoutMs`; never throws and never waits longer. A late
 * answer of a hook that timed out is ignored (its rejection too).
 */
export async function runAuthorize(hook: AuthorizeHook, request: AuthorizeRequest, timeoutMs: number): Promise<AuthorizeOutcome> {
  let timer: NodeJS.Timeout | undefined;
  let result: unknown;
  try {
    const answer = Promise.resolve().then(() => hook(request));
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HookTimeout()), timeoutMs);
    });
    result = await Promise.race([answer, timeout]);
  } catch (err) {
    if (err instanceof HookTimeout) {
      return { ok: false, code: 'unavailable', message: `the authorization check did not answer within ${timeoutMs} ms; retry later` };
    }
    return { ok: false, code: 'internal', message: 'the authorization check failed (server error)', cause: err };
  } finally {
    clearTimeout(timer);
  }
  return verdict(result, request.name);
}

function verdict(result: unknown, name: string): AuthorizeOutcome {
  if (result === true) return { ok: true, name };
  if (typeof result === 'object' && result !== null) {
    const r = result as Record<string, unknown>;
    if ('deny' in r && !('name' in r)) {
      if (typeof r.deny !== 'string') return invalid(`\`deny\` must be a string, got ${typeof r.deny}`);
      const reason = r.deny.trim().slice(0, MAX_REASON);
      return { ok: false, code: 'unauthorized', message: reason || 'not allowed to join this room' };
    }
    if ('name' in r && !('deny' in r)) {
      const parsed = displayName.safeParse(r.name);
      if (!parsed.success) return invalid(`invalid \`name\`: ${parsed.error.issues[0]?.message ?? 'not a display name'}`);
      return { ok: true, name: parsed.data.trim() };
    }
  }
  return invalid('expected true, { deny: reason } or { name }');
}

function invalid(detail: string): AuthorizeOutcome {
  return { ok: false, code: 'internal', message: 'the authorization check failed (server error)', cause: new TypeError(`authorize hook returned an invalid result: ${detail}`) };
}

/** Deep-frozen structured copy: the hook can read everything and change nothing the server keeps. */
function frozenCopy<T>(value: T): T {
  const copy = structuredCloneOr(value);
  const freeze = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return;
    Object.freeze(v);
    for (const k of Object.keys(v)) freeze((v as Record<string, unknown>)[k]);
  };
  freeze(copy);
  return copy;
}

function structuredCloneOr<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    // Not cloneable (a function in `auth`, say: socket.io-client sends JSON only, a custom parser
    // might not): what survives JSON, never the server's own objects.
    try {
      return JSON.parse(JSON.stringify(value)) as T;
    } catch {
      return {} as T;
    }
  }
}

/** The hook's view of a handshake: headers, the client address, `auth` and the query, copied and frozen. */
export function handshakeInfo(
  handshake: { headers: Record<string, string | string[] | undefined>; auth: unknown; query: Record<string, unknown> },
  address: string,
): HandshakeInfo {
  const auth = typeof handshake.auth === 'object' && handshake.auth !== null ? handshake.auth : {};
  return Object.freeze({
    headers: frozenCopy({ ...handshake.headers }),
    address,
    auth: frozenCopy({ ...(auth as Record<string, unknown>) }),
    query: frozenCopy({ ...(handshake.query as Record<string, string | string[] | undefined>) }),
  });
}

/** A frozen {@link AuthorizeRequest}. */
export function authorizeRequest(fields: Omit<AuthorizeRequest, 'claims'> & { claims?: Record<string, unknown> | undefined }): AuthorizeRequest {
  return Object.freeze({ ...fields, claims: fields.claims === undefined ? undefined : frozenCopy(fields.claims) });
}
