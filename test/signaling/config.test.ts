import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../server/config.js';

describe('configuration', () => {
  it('has working defaults for local use', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('::');
    expect(c.hostFallback).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::' }).hostFallback).toBeUndefined();
    expect(c.roomCapacity).toBe(8);
    expect(c.signalMaxBytes).toBe(65536);
    expect(c.publicIp).toBe('127.0.0.1');
    expect(c.turnEnabled).toBe(true);
    expect(c.relay.port).toBe(3478);
    expect(c.relay.relayIp).toBe('127.0.0.1');
    expect(c.turnSecretGenerated).toBe(true);
    expect(c.relay.secret).toBe(c.turnSecret);
    expect(c.turnSecret.length).toBeGreaterThanOrEqual(32);
    expect(c.maxHttpBufferSize).toBeGreaterThan(c.signalMaxBytes);
  });

  it('derives a stable session key from TURN_SECRET when SESSION_SECRET is unset', () => {
    const a = loadConfig({ TURN_SECRET: 'turn-secret-0123456789' });
    const b = loadConfig({ TURN_SECRET: 'turn-secret-0123456789' });
    expect(a.sessionSecret).toBe(b.sessionSecret);
    expect(a.sessionSecret).not.toContain('turn-secret');
    expect(a.sessionSecretGenerated).toBe(false);
    expect(loadConfig({ TURN_SECRET: 'turn-secret-0123456789', SESSION_SECRET: 'session-secret-0123456789' }).sessionSecret).toBe('session-secret-0123456789');
    expect(loadConfig({}).sessionSecret).not.toBe(loadConfig({}).sessionSecret);
    expect(loadConfig({}).sessionSecretGenerated).toBe(true);
  });

  it('names every bad variable', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'x', ROOM_CAPACITY: '1', PUBLIC_IP: 'not-an-ip', TURN_SECRET: 'short', TURN_ENABLED: 'maybe', TURN_ALLOW_PEERS: '10.0.0.0' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const vars = (err as ConfigError).issues.map((i) => i.variable).sort();
    expect(vars).toEqual(['PORT', 'PUBLIC_IP', 'ROOM_CAPACITY', 'TURN_ALLOW_PEERS', 'TURN_ENABLED', 'TURN_SECRET'].sort());
    expect((err as Error).message).toMatch(/PUBLIC_IP: must be an IPv4 or IPv6 address/);
  });

  it('checks variables that depend on each other', () => {
    expect(() => loadConfig({ TURN_MIN_PORT: '60000', TURN_MAX_PORT: '50000' })).toThrow(/TURN_MIN_PORT/);
    expect(() => loadConfig({ TURN_TLS_CERT: '/x.pem' })).toThrow(/TURN_TLS_KEY/);
    expect(() => loadConfig({ TURN_ENABLED: 'false' })).toThrow(/TURN_URLS: required/);
    expect(() => loadConfig({ TURN_DEFAULT_LIFETIME: '900', TURN_MAX_LIFETIME: '600' })).toThrow(/TURN_DEFAULT_LIFETIME/);
  });

  it('treats empty values as unset and parses lists', () => {
    const c = loadConfig({ PORT: '', TURN_ALLOW_PEERS: '10.0.0.0/8, 192.168.0.0/16', TURN_STATIC_USERS: 'dev:pa:ss', TURN_URLS: 'turn:a:3478,turns:a:5349' });
    expect(c.port).toBe(3000);
    expect(c.relay.allowPeers).toEqual(['10.0.0.0/8', '192.168.0.0/16']);
    expect(c.relay.staticUsers).toEqual([{ username: 'dev', password: 'pa:ss' }]);
    expect(c.turnUrls).toEqual(['turn:a:3478', 'turns:a:5349']);
  });

  it('the README documents every variable with its default', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const rows = new Map([...readme.matchAll(/^\| `([A-Z0-9_]+)` \| ([^|]+) \|/gm)].map((m) => [m[1]!, m[2]!.trim()]));
    for (const v of CONFIG_VARIABLES) expect(rows.has(v), `${v} missing from the README table`).toBe(true);
    for (const v of rows.keys()) expect(CONFIG_VARIABLES, `${v} documented but not in the schema`).toContain(v);
    const defaults = loadConfig({});
    expect(rows.get('PORT')).toBe(`\`${defaults.port}\``);
    expect(rows.get('HOST')).toBe(`\`${defaults.host}\``);
    expect(rows.get('ROOM_CAPACITY')).toBe(`\`${defaults.roomCapacity}\``);
    expect(rows.get('SIGNAL_MAX_BYTES')).toBe(`\`${defaults.signalMaxBytes}\``);
    expect(rows.get('RESUME_GRACE_MS')).toBe(`\`${defaults.resumeGraceMs}\``);
    expect(rows.get('TURN_PORT')).toBe(`\`${defaults.relay.port}\``);
    expect(rows.get('TURN_DEFAULT_LIFETIME')).toBe(`\`${defaults.relay.defaultLifetime}\``);
    expect(rows.get('RATE_LIMIT_BURST')).toBe(`\`${defaults.rateLimit.burst}\``);
  });
});
