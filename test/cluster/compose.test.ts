/** docker-compose.yml: `docker-compose config` accepts it, and it has the shape docs/cluster.md describes. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../server/config.js';
import { requireTool, ROOT } from './support/services.js';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: Array<{ published: number | string; target: number; protocol?: string }>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const ENV = { SESSION_SECRET: 'compose-session-secret-0123', TURN_SECRET: 'compose-turn-secret-0123456', PUBLIC_IP: '203.0.113.10' };

function composeConfig(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  requireTool('docker-compose', 'docker-compose');
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !(k in ENV))) as Record<string, string>;
  return spawnSync('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), '--project-directory', ROOT, 'config'], {
    cwd: ROOT,
    env: { ...clean, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('docker-compose.yml', () => {
  it('is accepted by `docker-compose config` and describes redis, two nodes, nginx and the relay', () => {
    const r = composeConfig(ENV);
    expect(r.stderr + r.stdout).not.toMatch(/ERROR/);
    expect(r.status).toBe(0);
    // docker-compose is Python with PyYAML: use it to read its own output.
    const json = spawnSync('python3', ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'], { input: r.stdout, encoding: 'utf8' });
    expect(json.status, json.stderr).toBe(0);
    const services = (JSON.parse(json.stdout) as { services: Record<string, Service> }).services;
    expect(Object.keys(services).sort()).toEqual(['lb', 'node1', 'node2', 'redis', 'relay']);

    const nodes = [services.node1!, services.node2!];
    for (const n of nodes) {
      expect(n.build?.dockerfile).toBe('deploy/Dockerfile');
      expect(n.environment).toMatchObject({ REDIS_URL: 'redis://redis:6379', SESSION_SECRET: ENV.SESSION_SECRET, TURN_SECRET: ENV.TURN_SECRET, TURN_ENABLED: 'false', TRUST_PROXY: 'true' });
      expect(n.environment!.TURN_URLS).toContain(`turn:${ENV.PUBLIC_IP}:3478`);
      for (const k of Object.keys(n.environment!)) expect(CONFIG_VARIABLES, `${k} is not a configuration variable`).toContain(k);
      expect(n.healthcheck?.test.join(' ')).toContain('/readyz');
      expect(n.depends_on?.redis?.condition).toBe('service_healthy');
    }
    expect(new Set(nodes.map((n) => n.environment!.NODE_ID)).size).toBe(2);

    expect(services.lb!.volumes!.some((v) => v.endsWith('deploy/nginx.conf:/etc/nginx/nginx.conf:ro'))).toBe(true);
    expect(services.lb!.ports).toEqual([expect.objectContaining({ target: 80 })]);
    expect(Object.keys(services.lb!.depends_on!).sort()).toEqual(['node1', 'node2']);

    expect(services.relay!.command).toEqual(['node', 'dist/turn/main.js']);
    expect(services.relay!.environment).toMatchObject({ TURN_SECRET: ENV.TURN_SECRET, TURN_PORT: '3478' });
    expect(services.relay!.ports!.map((p) => `${p.target}/${p.protocol ?? 'tcp'}`)).toEqual(expect.arrayContaining(['3478/udp', '3478/tcp']));
    expect(services.redis!.healthcheck?.test).toContain('ping');

    // The image runs the server the way `npm start` does (the command the start script execs after
    // building): the compiled entry with plain node, the same V8 flags.
    const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const run = /&& exec (node .*)$/.exec(start)?.[1];
    expect(run, `the start script builds, then execs node: ${start}`).toMatch(/^node( --\S+)* dist\/server\/main\.js$/);
    const cmd = JSON.stringify(run!.split(' ')).replaceAll(',', ', ');
    expect(readFileSync(join(ROOT, 'deploy/Dockerfile'), 'utf8')).toContain(`CMD ${cmd}`);
  });

  it('refuses to start without the shared secrets', () => {
    const r = composeConfig({ PUBLIC_IP: ENV.PUBLIC_IP, TURN_SECRET: ENV.TURN_SECRET });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/set SESSION_SECRET, the same on every node/);
  });
});

describe('deploy/Dockerfile', () => {
  it('copies in everything the build compiles (tsconfig.build.json "include") and reads', () => {
    const dockerfile = readFileSync(join(ROOT, 'deploy/Dockerfile'), 'utf8');
    const copied = new Set([...dockerfile.matchAll(/^COPY (.+) \S+$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/)));
    const read = ts.readConfigFile(join(ROOT, 'tsconfig.build.json'), ts.sys.readFile);
    expect(read.error).toBeUndefined();
    const include = (read.config as { include: string[] }).include;
    // A folder that is not in the repository yet cannot be copied (COPY fails on a missing source).
    const needed = [...new Set(include.map((p) => p.split('/')[0]!))].filter((d) => existsSync(join(ROOT, d)));
    for (const f of [...needed, 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts', 'web']) {
      expect(copied, `deploy/Dockerfile does not COPY ${f}`).toContain(f);
    }
    expect(dockerfile).toMatch(/^RUN node scripts\/build\.mjs && npm prune --omit=dev/m);
  });
});
