/**
 * Room tokens as standard JWTs (RFC 7519, JWS compact form), beside the HMAC tokens of
 * room-token.ts, so that a backend can mint them with any JWT library (docs/tokens.md).
 *
 * Keys (at least one): ROOM_JWT_SECRET, an HS256 shared secret; ROOM_JWT_PUBLIC_KEY, an RSA
 * (RS256) or P-256 EC (ES256) public key, SPKI PEM. The algorithm a token may use follows from the
 * keys configured and nothing else: an HS256 token is refused when only a public key is set (the
 * public key is never used as an HMAC secret: no algorithm confusion), `alg: none` always. The
 * header may not fetch or carry a key (`jku`, `jwk`, `x5u`, `x5c`, `x5t`, `x5t#S256`, `crit`), and
 * a `kid` must be one of ROOM_JWT_KID.
 *
 * Claims: `room` (required, the room joined), `exp` (required), `nbf` (honoured), `name`
 * (optional: the peer's display name), `iss`/`aud` when ROOM_JWT_ISSUER / ROOM_JWT_AUDIENCE are
 * set. `exp` and `nbf` are checked with {@link ROOM_JWT_CLOCK_TOLERANCE_S} seconds of tolerance.
 */
import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { displayName } from '../protocol/schemas.js';
import type { ConfigIssue } from '../../turn/env.js';

/** Seconds of clock skew allowed between the minting backend and this server, for `exp` and `nbf`. */
export const ROOM_JWT_CLOCK_TOLERANCE_S = 5;

/** JWT room tokens' settings, as loadConfig builds them from the ROOM_JWT_* variables. */
export interface RoomJwtConfig {
  /** HS256 shared secret, 32+ characters (ROOM_JWT_SECRET). */
  secret?: string | undefined;
  /** RS256 (RSA, 2048+ bits) or ES256 (P-256) public key as SPKI PEM text (ROOM_JWT_PUBLIC_KEY; a path is read at start). */
  publicKey?: string | undefined;
  /** When set, a token's `iss` must be exactly this (ROOM_JWT_ISSUER). */
  issuer?: string | undefined;
  /** When set, a token's `aud` must be or contain this (ROOM_JWT_AUDIENCE). */
  audience?: string | undefined;
  /** Key ids a token's `kid` header may name (ROOM_JWT_KID); a token without `kid` is always fine. */
  keyIds: string[];
}

/** The outcome of checking a JWT room token: the verified claims (and the `name` claim, trimmed), or why not. */
export type RoomJwtCheck = { ok: true; claims: JWTPayload; name?: string } | { ok: false; reason: string };

/** Three base64url parts (the last may be empty, as in an unsigned `alg: none` token). */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Whether `token` has the shape of a JWS compact JWT (and so is verified as one). */
export const looksLikeJwt = (token: string): boolean => JWT_SHAPE.test(token);

/** Header parameters that point at or carry a key: the key is ours to choose, never the token's. */
const KEY_HEADERS = ['jku', 'jwk', 'x5u', 'x5c', 'x5t', 'x5t#S256'] as const;

interface Keys {
  /** Accepted algorithms, each with the one key that verifies it. */
  byAlg: Map<string, KeyObject>;
  algorithms: string[];
}

const compiled = new WeakMap<RoomJwtConfig, Keys>();

function keysOf(cfg: RoomJwtConfig): Keys {
  let keys = compiled.get(cfg);
  if (!keys) {
    const byAlg = new Map<string, KeyObject>();
    if (cfg.secret) byAlg.set('HS256', createSecretKey(Buffer.from(cfg.secret, 'utf8')));
    if (cfg.publicKey) {
      const key = createPublicKey(cfg.publicKey);
      byAlg.set(publicKeyAlgorithm(key)!, key);
    }
    keys = { byAlg, algorithms: [...byAlg.keys()] };
    compiled.set(cfg, keys);
  }
  return keys;
}

/** RS256 for an RSA key of 2048+ bits, ES256 for a P-256 key; undefined for anything else. */
function publicKeyAlgorithm(key: KeyObject): 'RS256' | 'ES256' | undefined {
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  return undefined;
}

/** A header value for a message: quoted, bounded, printable. */
const quote = (v: unknown): string => JSON.stringify(String(v).slice(0, 40).replace(/[^\x20-\x7e]/g, '?'));

/** Why the header is refused before any signature check, or undefined when it is acceptable. */
function headerProblem(h: ProtectedHeaderParameters, keys: Keys, cfg: RoomJwtConfig): string | undefined {
  if (typeof h.alg !== 'string') return 'malformed room token: its header has no "alg"';
  if (h.alg.toLowerCase() === 'none') return 'room token is unsigned (alg "none"); refused';
  if (!keys.byAlg.has(h.alg)) return `room token algorithm ${quote(h.alg)} is not accepted here (accepted: ${keys.algorithms.join(', ')})`;
  for (const k of KEY_HEADERS) {
    if (Object.hasOwn(h, k)) return `room token header "${k}" asks for a key this server does not hold; refused`;
  }
  if (Object.hasOwn(h, 'crit')) return 'room token header has "crit" extensions this server does not support';
  if (h.kid !== undefined && !(typeof h.kid === 'string' && cfg.keyIds.includes(h.kid))) {
    return `room token asks for key ${quote(h.kid)} (kid), which this server does not hold`;
  }
  return undefined;
}

function describe(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'room token expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'invalid') return `malformed room token: ${err.message}`;
    if (err.claim === 'exp') return 'room token has no "exp" claim (an expiry is required)';
    if (err.claim === 'nbf') return 'room token is not valid yet (its "nbf" is in the future)';
    if (err.claim === 'iss') return 'room token issuer ("iss") is not accepted here';
    if (err.claim === 'aud') return 'room token audience ("aud") is not accepted here';
    return `room token claim ${quote(err.claim)} is not accepted`;
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'room token signature is invalid (another key signed it, or it was altered)';
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return `malformed room token: ${err.message}`;
  return 'room token could not be verified';
}

/**
 * Verifies a JWT room token for `room` with the configured keys. Never throws; `nowMs` is the
 * current time (tests move it).
 */
export async function verifyRoomJwt(cfg: RoomJwtConfig, room: string, token: string, nowMs = Date.now()): Promise<RoomJwtCheck> {
  const keys = keysOf(cfg);
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, reason: 'malformed room token: its header is not base64url-encoded JSON' };
  }
  const problem = headerProblem(header, keys, cfg);
  if (problem) return { ok: false, reason: problem };
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, keys.byAlg.get(header.alg!)!, {
      algorithms: keys.algorithms,
      issuer: cfg.issuer,
      audience: cfg.audience,
      requiredClaims: ['exp'],
      clockTolerance: ROOM_JWT_CLOCK_TOLERANCE_S,
      currentDate: new Date(nowMs),
    }));
  } catch (err) {
    return { ok: false, reason: describe(err) };
  }
  if (claims.room === undefined) return { ok: false, reason: 'room token has no "room" claim' };
  if (claims.room !== room) return { ok: false, reason: 'room token is not valid for this room' };
  if (claims.name === undefined) return { ok: true, claims };
  const name = displayName.safeParse(claims.name);
  if (!name.success) return { ok: false, reason: `room token "name" claim is not a valid name (${name.error.issues[0]?.message ?? 'invalid'})` };
  return { ok: true, claims, name: name.data.trim() };
}

/** The ROOM_JWT_* variables, each already validated alone by config.ts's schema. */
export interface RoomJwtEnv {
  ROOM_JWT_SECRET?: string | undefined;
  ROOM_JWT_PUBLIC_KEY?: string | undefined;
  ROOM_JWT_ISSUER?: string | undefined;
  ROOM_JWT_AUDIENCE?: string | undefined;
  ROOM_JWT_KID?: string[] | undefined;
}

/**
 * The JWT settings from validated variables: reads the public key (a PEM path or the PEM text),
 * checks it is a public RSA (2048+ bits) or P-256 key, and that the ROOM_JWT_ options have a key
 * to go with. Undefined when no key is set (and so no problem).
 */
export function roomJwtFromEnv(e: RoomJwtEnv): { config: RoomJwtConfig | undefined; problems: ConfigIssue[] } {
  const problems: ConfigIssue[] = [];
  let publicKey: string | undefined;
  if (e.ROOM_JWT_PUBLIC_KEY !== undefined) {
    const read = readPublicKey(e.ROOM_JWT_PUBLIC_KEY);
    if ('problem' in read) problems.push({ variable: 'ROOM_JWT_PUBLIC_KEY', message: read.problem });
    else publicKey = read.pem;
  }
  if (e.ROOM_JWT_SECRET === undefined && e.ROOM_JWT_PUBLIC_KEY === undefined) {
    for (const variable of ['ROOM_JWT_ISSUER', 'ROOM_JWT_AUDIENCE', 'ROOM_JWT_KID'] as const) {
      if (e[variable] !== undefined) problems.push({ variable, message: 'needs ROOM_JWT_SECRET or ROOM_JWT_PUBLIC_KEY (the key that verifies the tokens)' });
    }
    return { config: undefined, problems };
  }
  if (problems.length) return { config: undefined, problems };
  return {
    config: { secret: e.ROOM_JWT_SECRET, publicKey, issuer: e.ROOM_JWT_ISSUER, audience: e.ROOM_JWT_AUDIENCE, keyIds: e.ROOM_JWT_KID ?? [] },
    problems,
  };
}

/** The PEM text of a usable public key given as a path or as PEM text, or what is wrong with it. */
function readPublicKey(v: string): { pem: string } | { problem: string } {
  let pem: string;
  if (v.includes('-----BEGIN')) pem = v;
  else {
    try {
      pem = readFileSync(v, 'utf8');
    } catch (err) {
      return { problem: `cannot read the key file ${JSON.stringify(v)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
    }
  }
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) return { problem: 'is a private key: give the public key (SPKI PEM, "-----BEGIN PUBLIC KEY-----"); the private key stays with the backend that mints tokens' };
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    return { problem: 'is not a PEM public key (SPKI, "-----BEGIN PUBLIC KEY-----")' };
  }
  if (publicKeyAlgorithm(key)) return { pem };
  if (key.asymmetricKeyType === 'rsa') return { problem: `is an RSA key of ${key.asymmetricKeyDetails?.modulusLength ?? '?'} bits: RS256 needs 2048 or more` };
  if (key.asymmetricKeyType === 'ec') return { problem: `is an EC key on ${key.asymmetricKeyDetails?.namedCurve ?? 'an unknown curve'}: ES256 needs P-256 (prime256v1)` };
  return { problem: `is a ${key.asymmetricKeyType ?? 'unknown'} key: give an RSA (RS256) or P-256 EC (ES256) public key` };
}
