/**
 * TURN_SECRET rotation (docs/turn.md "Rotating TURN_SECRET"): several comma-separated secrets, the
 * first mints, all verify. Checked on the embedded relay (createRelay with previousSecrets) and
 * across two signaling servers sharing config, each with its own relay child, through the steps
 * of the runbook: credentials signed with a secret keep working until that secret is removed, and
 * credentials of a new first secret work at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { TurnClient, TurnError } from '../../turn/client/index.js';
import { ConfigError, loadRelayConfig } from '../../turn/env.js';
import type { RelayAddresses } from '../../turn/types.js';
import { creds, startRelay } from './helpers.js';

const OLD = 'old-secret-0123456789abcdef';
const NEW = 'new-secret-0123456789abcdef';

/** Allocate on `addr` with `c`: 'ok' or the TURN error code (401 for a secret the relay does not accept). */
async function allocateWith(addr: RelayAddresses, c: { username: string; password: string }): Promise<'ok' | number> {
  const client = await TurnClient.connect({ host: '127.0.0.1', port: addr.udp.port, ...c, rto: 100, timeout: 10_000 });
  try {
    await client.allocate();
    return 'ok';
  } catch (e) {
    if (e instanceof TurnError && e.code) return e.code;
    throw e;
  } finally {
    await client.close();
  }
}

describe('TURN_SECRET with several secrets', () => {
  it('the first mints (secret), the others verify (previousSecrets), on both loaders', () => {
    const env = { TURN_SECRET: ` ${NEW}, ${OLD} ` };
    const { config, secretGenerated } = loadRelayConfig(env);
    expect(config.secret).toBe(NEW);
    expect(config.previousSecrets).toEqual([OLD]);
    expect(secretGenerated).toBe(false);
    const server = loadConfig(env);
    expect(server.turnSecret).toBe(NEW);
    expect(server.relay).toEqual(config);
    expect(loadRelayConfig({ TURN_SECRET: OLD }).config.previousSecrets).toEqual([]);
    // The session key derives from the first secret: the same as with that secret alone.
    expect(server.sessionSecret).toBe(loadConfig({ TURN_SECRET: NEW }).sessionSecret);
  });

  it.each([
    [`${NEW},`, /TURN_SECRET: secret 2 of 2 is empty/],
    [`${NEW},,${OLD}`, /TURN_SECRET: secret 2 of 3 is empty/],
    [`,${NEW}`, /TURN_SECRET: secret 1 of 2 is empty/],
    [`${NEW},short`, /TURN_SECRET: secret 2 of 2 must be at least 16 characters/],
    ['short', /TURN_SECRET: must be at least 16 characters/],
    [`${NEW},${OLD},${NEW}`, /TURN_SECRET: secret 3 of 3 repeats secret 1/],
  ])('refuses %j naming TURN_SECRET', (value, message) => {
    expect(() => loadRelayConfig({ TURN_SECRET: value })).toThrow(ConfigError);
    expect(() => loadRelayConfig({ TURN_SECRET: value })).toThrow(message);
    expect(() => loadConfig({ TURN_SECRET: value })).toThrow(message);
  });
});

describe('embedded relay', () => {
  it('accepts credentials of every configured secret and refuses a removed one', async () => {
    const both = await startRelay({ secret: NEW, previousSecrets: [OLD] });
    const newOnly = await startRelay({ secret: NEW });
    try {
      const oldCreds = creds(600, 'alice', OLD);
      const newCreds = creds(600, 'bob', NEW);
      expect(await allocateWith(both.addr, oldCreds)).toBe('ok');
      expect(await allocateWith(both.addr, newCreds)).toBe('ok');
      expect(await allocateWith(newOnly.addr, newCreds)).toBe('ok');
      expect(await allocateWith(newOnly.addr, creds(600, 'carol', OLD))).toBe(401);
      expect(await allocateWith(both.addr, creds(600, 'dave', 'never-configured-0123456789'))).toBe(401);
      expect(both.relay.handlerErrors + newOnly.relay.handlerErrors).toBe(0);
    } finally {
      await Promise.all([both.relay.stop(), newOnly.relay.stop()]);
    }
  });
});

describe('two signaling servers sharing config, through the runbook', () => {
  const apps: App[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.stop()));
  });

  /** A server with its own relay child (the `npm start` wiring), like one node of a deployment. */
  async function node(turnSecret: string): Promise<{ app: App; base: string; relay: RelayAddresses }> {
    const app = createApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', TURN_PORT: '0', TURN_LISTEN_IP: '127.0.0.1', PUBLIC_IP: '127.0.0.1', TURN_SECRET: turnSecret, LOG_LEVEL: 'silent' }));
    apps.push(app);
    const started = await app.start();
    return { app, base: `http://127.0.0.1:${started.port}`, relay: started.relay! };
  }

  /** The TURN credentials a node hands a client (GET /api/ice-servers). */
  async function mint(base: string): Promise<{ username: string; password: string }> {
    const res = await fetch(`${base}/api/ice-servers?room=rotation`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { iceServers: Array<{ urls: string[]; username?: string; credential?: string }> };
    const turn = body.iceServers.find((s) => s.username)!;
    return { username: turn.username!, password: turn.credential! };
  }

  it('old credentials work until their secret is removed; new ones at once, on either node', async () => {
    // Before: one secret everywhere.
    let a = await node(OLD);
    const fromBefore = await mint(a.base);
    // Step 1 on node a, step 2 on node b (a rollout in progress): both accept both secrets.
    await a.app.stop();
    a = await node(`${OLD},${NEW}`);
    const b = await node(`${NEW},${OLD}`);
    const fromA = await mint(a.base);
    const fromB = await mint(b.base);
    for (const relay of [a.relay, b.relay]) {
      expect(await allocateWith(relay, fromBefore)).toBe('ok');
      expect(await allocateWith(relay, fromA)).toBe('ok');
      expect(await allocateWith(relay, fromB)).toBe('ok');
    }
    // Node a's first secret is still the old one, node b's the new one.
    expect(await allocateWith((await startCheck(NEW)).addr, fromB)).toBe('ok');
    expect(await allocateWith((await startCheck(NEW)).addr, fromA)).toBe(401);
    // Step 3: the old secret removed from node a: what it signed is refused there, not on b yet.
    await a.app.stop();
    a = await node(NEW);
    expect(await allocateWith(a.relay, fromBefore)).toBe(401);
    expect(await allocateWith(a.relay, fromB)).toBe('ok');
    expect(await allocateWith(a.relay, await mint(a.base))).toBe('ok');
    expect(await allocateWith(b.relay, fromBefore)).toBe('ok');
    expect(await allocateWith(b.relay, await mint(a.base))).toBe('ok');
  }, 60_000);

  /** A bare relay with one secret: shows which secret signed a credential. */
  const checks: Array<{ relay: { stop(): Promise<void> } }> = [];
  async function startCheck(secret: string) {
    const r = await startRelay({ secret });
    checks.push(r);
    return r;
  }
  afterEach(async () => {
    await Promise.all(checks.splice(0).map((c) => c.relay.stop()));
  });
});
