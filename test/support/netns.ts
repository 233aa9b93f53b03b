/**
 * Network namespaces for tests: create, wire (veth pairs, addresses, routes), run commands inside,
 * and clean up by name prefix (also what a killed run left behind). General on purpose: the NAT
 * suites build routers and LANs out of the same calls. Needs root (`ip netns`).
 */
import { type ChildProcess, type SpawnOptions, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** Run a command, throwing an error that includes its stderr. */
export function run(cmd: string, args: string[], opts: { ignoreError?: boolean } = {}): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    if (opts.ignoreError) return '';
    const e = err as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${(e.stderr ?? '').trim() || e.message}`);
  }
}

export function ip(...args: string[]): string {
  return run('ip', args);
}

export function listNamespaces(): string[] {
  return run('ip', ['netns', 'list'], { ignoreError: true })
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

/** A unique namespace name: prefix + random suffix (names stay under Linux's 15-char ifname-ish comfort). */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(3).toString('hex')}`;
}

export class Netns {
  private deleted = false;
  private constructor(readonly name: string) {}

  /** A handle on an existing namespace (e.g. one the global setup made); delete() still works. */
  static open(name: string): Netns {
    if (!listNamespaces().includes(name)) throw new Error(`no network namespace named ${name}`);
    return new Netns(name);
  }

  /** Create an empty namespace with `lo` up. */
  static create(name: string): Netns {
    ip('netns', 'add', name);
    const ns = new Netns(name);
    try {
      ns.ip('link', 'set', 'lo', 'up');
    } catch (err) {
      ns.delete();
      throw err;
    }
    return ns;
  }

  /** `ip -n NAME ...` */
  ip(...args: string[]): string {
    return ip('-n', this.name, ...args);
  }

  /** Run a command inside and return its stdout. */
  exec(cmd: string, args: string[], opts: { ignoreError?: boolean } = {}): string {
    return run('ip', ['netns', 'exec', this.name, cmd, ...args], opts);
  }

  /** Spawn a long-running process inside. */
  spawn(cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
    return spawn('ip', ['netns', 'exec', this.name, cmd, ...args], opts);
  }

  /** Argument prefix to run something inside this namespace: `[...ns.prefix(), cmd, ...args]`. */
  prefix(): string[] {
    return ['ip', 'netns', 'exec', this.name];
  }

  /**
   * A veth pair. Both ends here unless `peerNs` is given (then `b` moves there): a link between
   * two namespaces (router <-> LAN), or both ends in one namespace to give it a routable interface.
   */
  addVeth(a: string, b: string, peerNs?: Netns): void {
    this.ip('link', 'add', a, 'type', 'veth', 'peer', 'name', b);
    if (peerNs) this.ip('link', 'set', b, 'netns', peerNs.name);
    this.ip('link', 'set', a, 'up');
    (peerNs ?? this).ip('link', 'set', b, 'up');
  }

  addAddress(dev: string, cidr: string): void {
    this.ip('addr', 'add', cidr, 'dev', dev);
  }

  addRoute(dest: string, via: string, dev?: string): void {
    this.ip('route', 'add', dest, 'via', via, ...(dev ? ['dev', dev] : []));
  }

  /** Enable IPv4 forwarding inside (for router namespaces). */
  enableForwarding(): void {
    this.exec('sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
  }

  /** Process ids running inside. */
  pids(): number[] {
    return run('ip', ['netns', 'pids', this.name], { ignoreError: true })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  }

  /** Kill whatever still runs inside, then delete the namespace. Idempotent. */
  delete(): void {
    if (this.deleted) return;
    this.deleted = true;
    deleteNamespace(this.name);
  }
}

export function deleteNamespace(name: string): void {
  for (const pid of run('ip', ['netns', 'pids', name], { ignoreError: true }).split('\n').map(Number).filter((n) => n > 0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  run('ip', ['netns', 'del', name], { ignoreError: true });
}

/** A namespace name that records this process: `<prefix><pid>-<random>`. */
export function ownedName(prefix: string): string {
  return `${prefix}${process.pid}-${randomBytes(2).toString('hex')}`;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Remove the namespaces starting with `prefix` that are leftovers of killed runs: names made by
 * `ownedName` whose process is gone (and old names without a pid). A concurrent run's namespaces,
 * whose process is alive, are left alone.
 */
export function cleanupNamespaces(prefix: string): string[] {
  const gone = listNamespaces().filter((n) => {
    if (!n.startsWith(prefix)) return false;
    const pid = /^(\d+)-/.exec(n.slice(prefix.length))?.[1];
    return !pid || !alive(Number(pid));
  });
  for (const n of gone) deleteNamespace(n);
  return gone;
}

export interface LanNamespace {
  ns: Netns;
  /** The namespace's routable address (host candidates, TURN relay address). */
  address: string;
  cidr: string;
  dev: string;
}

/**
 * The browser-test recipe: a namespace with `lo` up and a veth pair with both ends inside; one
 * end has `address`/24 and the default route points at it. Chromium then gathers host candidates
 * (two pages in the namespace connect directly) and nothing leaves the namespace.
 */
export function createLanNamespace(name: string, address = '10.213.0.1'): LanNamespace {
  const ns = Netns.create(name);
  try {
    ns.addVeth('sb0', 'sb1');
    ns.addAddress('sb0', `${address}/24`);
    ns.addRoute('default', address, 'sb0');
  } catch (err) {
    ns.delete();
    throw err;
  }
  const prefix = address.split('.').slice(0, 3).join('.');
  return { ns, address, cidr: `${prefix}.0/24`, dev: 'sb0' };
}
