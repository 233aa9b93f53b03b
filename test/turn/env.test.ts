/**
 * The relay's own environment loader (turn/env.ts, used by `npm run turn`): defaults, errors that
 * name the variable, and the same result as the signaling server's config for the same variables.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig } from '../../server/config.js';
import type { RelayConfig } from '../../turn/config.js';
import { ConfigError, loadRelayConfig, relayEnvSchema } from '../../turn/env.js';

function issues(env: NodeJS.ProcessEnv): string[] {
  try {
    loadRelayConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues.map((i) => i.variable);
  }
  throw new Error('expected a ConfigError');
}

describe('relay configuration from the environment', () => {
  it('has the documented defaults', () => {
    // Variable, the RelayConfig field it sets, its default (the README's configuration table).
    const defaults: Array<[string, keyof RelayConfig, unknown]> = [
      ['TURN_LISTEN_IP', 'listenIp', '0.0.0.0'],
      ['TURN_RELAY_IP', 'relayIp', '127.0.0.1'], // PUBLIC_IP's default
      ['TURN_RELAY_IP6', 'relayIp6', undefined], // PUBLIC_IP6's default
      ['TURN_PORT', 'port', 3478],
      ['TURN_TLS_PORT', 'tlsPort', 5349],
      ['TURN_TLS_CERT', 'tlsCert', undefined],
      ['TURN_TLS_KEY', 'tlsKey', undefined],
      ['TURN_REALM', 'realm', 'switchboard'],
      ['TURN_MIN_PORT', 'minPort', 49152],
      ['TURN_MAX_PORT', 'maxPort', 65535],
      ['TURN_ALLOW_PEERS', 'allowPeers', []],
      ['TURN_STATIC_USERS', 'staticUsers', []],
      ['TURN_DEFAULT_LIFETIME', 'defaultLifetime', 600],
      ['TURN_MAX_LIFETIME', 'maxLifetime', 3600],
      ['TURN_USER_QUOTA', 'userQuota', 10],
      ['TURN_TOTAL_QUOTA', 'totalQuota', 1000],
      ['TURN_MAX_BPS', 'maxBps', 0],
      ['TURN_MAX_PERMISSIONS', 'maxPermissions', 64],
      ['TURN_MAX_CHANNELS', 'maxChannels', 64],
      ['TURN_MAX_CONNECTIONS_PER_IP', 'maxConnectionsPerIp', 64],
      ['TURN_WORKERS', 'workers', Math.min(64, availableParallelism())], // the number of cores
      ['TURN_PERMISSION_HOLD_MS', 'permissionHoldMs', 0],
    ];
    const { config, secretGenerated } = loadRelayConfig({});
    for (const [variable, field, value] of defaults) expect(config[field], variable).toEqual(value);
    // A variable added to the schema gets a row here (PUBLIC_IP and TURN_SECRET are checked below).
    expect([...defaults.map((d) => d[0]), 'PUBLIC_IP', 'PUBLIC_IP6', 'TURN_SECRET'].sort()).toEqual(Object.keys(relayEnvSchema.shape).sort());
    expect(secretGenerated).toBe(true);
    expect(config.secret.length).toBeGreaterThanOrEqual(32);
    expect(loadRelayConfig({}).config.secret).not.toBe(config.secret);
  });

  it('fails naming a bad TURN_PORT', () => {
    expect(() => loadRelayConfig({ TURN_PORT: 'x' })).toThrow(/TURN_PORT: /);
    expect(issues({ TURN_PORT: '70000' })).toEqual(['TURN_PORT']);
    expect(issues({ TURN_ALLOW_PEERS: '10.0.0.0/8,10.0.0.0/40' })).toEqual(['TURN_ALLOW_PEERS']);
    expect(issues({ TURN_ALLOW_PEERS: '::/129' })).toEqual(['TURN_ALLOW_PEERS']);
    expect(issues({ TURN_MAX_CONNECTIONS_PER_IP: '0' })).toEqual(['TURN_MAX_CONNECTIONS_PER_IP']);
    expect(issues({ TURN_PERMISSION_HOLD_MS: '2001' })).toEqual(['TURN_PERMISSION_HOLD_MS']);
    expect(loadRelayConfig({ TURN_PERMISSION_HOLD_MS: '500' }).config.permissionHoldMs).toBe(500);
    expect(() => loadRelayConfig({ TURN_MAX_CONNECTIONS_PER_IP: 'many' })).toThrow(/TURN_MAX_CONNECTIONS_PER_IP: /);
    expect(issues({ TURN_PORT: '1.5', TURN_RELAY_IP: 'nope', TURN_SECRET: 'short' }).sort()).toEqual(['TURN_PORT', 'TURN_RELAY_IP', 'TURN_SECRET']);
  });

  it('checks the variables that depend on each other', () => {
    expect(issues({ TURN_MIN_PORT: '60000', TURN_MAX_PORT: '50000' })).toEqual(['TURN_MIN_PORT']);
    expect(issues({ TURN_TLS_CERT: '/x.pem' })).toEqual(['TURN_TLS_KEY']);
    expect(issues({ TURN_DEFAULT_LIFETIME: '900', TURN_MAX_LIFETIME: '600' })).toEqual(['TURN_DEFAULT_LIFETIME']);
    expect(issues({ TURN_RELAY_IP: '::1', TURN_RELAY_IP6: '::2' })).toEqual(['TURN_RELAY_IP6']);
    expect(issues({ TURN_RELAY_IP6: '10.0.0.1' })).toEqual(['TURN_RELAY_IP6']);
    expect(issues({ PUBLIC_IP6: '::' })).toEqual(['PUBLIC_IP6']);
    expect(loadRelayConfig({ PUBLIC_IP6: '2001:db8::5' }).config.relayIp6).toBe('2001:db8::5');
    expect(loadRelayConfig({ PUBLIC_IP6: '2001:db8::5', TURN_RELAY_IP6: '::1' }).config.relayIp6).toBe('::1');
  });

  it('reads the relay variables only: the server\'s own ones do not matter here', () => {
    const { config, secretGenerated } = loadRelayConfig({ PORT: 'x', TURN_ENABLED: 'false', PUBLIC_IP: '192.0.2.1', TURN_SECRET: 's'.repeat(16), TURN_PORT: '' });
    expect(config.relayIp).toBe('192.0.2.1');
    expect(config.port).toBe(3478); // empty means unset
    expect(config.secret).toBe('s'.repeat(16));
    expect(secretGenerated).toBe(false);
  });

  it('gives the relay the same config as the signaling server does for the same environment', () => {
    for (const v of Object.keys(relayEnvSchema.shape)) expect(CONFIG_VARIABLES).toContain(v);
    const env = {
      TURN_SECRET: 'same-secret-0123456789',
      PUBLIC_IP: '192.0.2.1',
      TURN_RELAY_IP: '192.0.2.2',
      TURN_PORT: '3479',
      TURN_TLS_CERT: '/c.pem',
      TURN_TLS_KEY: '/k.pem',
      TURN_ALLOW_PEERS: '10.0.0.0/8, 192.168.0.0/16',
      TURN_STATIC_USERS: 'dev:pa:ss',
      TURN_MAX_BPS: '8000',
    };
    expect(loadRelayConfig(env).config).toEqual(loadConfig(env).relay);
    expect(loadRelayConfig(env).config.staticUsers).toEqual([{ username: 'dev', password: 'pa:ss' }]);
  });

  it('npm run turn (turn/main.ts) exits 1 naming the bad variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'turn/main.ts'], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      env: { ...process.env, TURN_PORT: 'x', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    const [code] = (await once(child, 'close')) as [number | null];
    expect(code, out).toBe(1);
    expect(out).toMatch(/TURN_PORT: /);
  }, 30_000);
});
