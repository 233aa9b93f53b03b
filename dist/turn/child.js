/**
 * Run the relay in a child process so that a fault in it cannot take the signaling server down.
 *
 * `startRelayProcess(config, opts)` returns a `Relay`: `start()` forks `child-entry.ts` with
 * `process.execPath --import tsx`, sends the config over IPC and resolves with the bound
 * addresses; `stats()` asks the child (with a timeout); allocation events are forwarded. If the
 * child dies unexpectedly, or stops answering the heartbeat, it is restarted with exponential
 * backoff on the same ports (events 'child-exit' and 'child-restarted'). `stop()` asks the child to stop, waits up to
 * `stopTimeoutMs`, then kills it.
 */
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
const defaultDelay = (attempt) => Math.min(250 * 2 ** attempt, 10_000);
export class RelayProcess extends EventEmitter {
    opts;
    child;
    nextId = 1;
    waiting = new Map();
    config;
    stopping;
    starting;
    restartTimer;
    attempt = 0;
    startedAt = 0;
    heartbeat;
    /** The current child answered `start` (the heartbeat leaves a starting child alone). */
    ready = false;
    misses = 0;
    probing = false;
    addresses;
    constructor(config, opts = {}) {
        super();
        this.opts = opts;
        this.config = { ...config };
    }
    /** The current child's pid (undefined between a crash and its restart). */
    get pid() {
        return this.child?.pid;
    }
    get log() {
        return this.opts.logger;
    }
    start() {
        if (this.stopping)
            return Promise.reject(new Error('relay process stopped'));
        this.starting ??= this.spawn().then((a) => {
            // Restarts reuse the ports bound the first time (clients keep their URLs).
            this.config = { ...this.config, port: a.udp.port, tlsPort: a.tls?.port ?? this.config.tlsPort };
            this.startHeartbeat();
            return a;
        });
        return this.starting;
    }
    startHeartbeat() {
        const every = this.opts.heartbeatMs ?? 10_000;
        if (every <= 0)
            return;
        this.heartbeat = setInterval(() => {
            const child = this.child;
            if (this.probing || !this.ready || !child?.connected || this.stopping)
                return;
            this.probing = true;
            this.request({ t: 'stats', id: 0 }).then(() => {
                this.misses = 0;
                this.probing = false;
            }, () => {
                this.probing = false;
                if (this.child !== child)
                    return; // it exited meanwhile: onExit handles it
                if (++this.misses < (this.opts.heartbeatMisses ?? 3))
                    return;
                this.misses = 0;
                this.log?.error({ pid: child.pid }, 'turn child: not answering, killing it');
                child.kill('SIGKILL');
            });
        }, every);
        this.heartbeat.unref();
    }
    async spawn() {
        const entry = this.opts.entry ?? fileURLToPath(new URL('./child-entry.ts', import.meta.url));
        const child = fork(entry, [], {
            execPath: process.execPath,
            execArgv: ['--import', 'tsx'],
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
            serialization: 'advanced',
        });
        this.child = child;
        this.ready = false;
        this.misses = 0;
        child.on('message', (m) => this.onMessage(m));
        child.on('error', (err) => this.log?.error({ err }, 'turn child: process error'));
        child.on('exit', (code, signal) => this.onExit(child, code, signal));
        const start = { t: 'start', id: 0, config: this.config, options: this.opts.relayOptions ?? {} };
        const addresses = (await this.request(start, this.opts.startTimeoutMs ?? 30_000));
        this.addresses = addresses;
        this.startedAt = Date.now();
        if (this.child === child)
            this.ready = true;
        return addresses;
    }
    onMessage(m) {
        if (m.t === 'reply') {
            const w = this.waiting.get(m.id);
            if (!w)
                return;
            this.waiting.delete(m.id);
            clearTimeout(w.timer);
            if (m.ok)
                w.resolve(m.value);
            else
                w.reject(new Error(m.error));
        }
        else if (m.t === 'event') {
            this.emit(m.name, m.payload);
        }
        else if (m.t === 'log') {
            this.log?.[m.level](m.obj, m.msg);
        }
    }
    onExit(child, code, signal) {
        if (this.child !== child)
            return;
        this.child = undefined;
        this.ready = false;
        for (const [id, w] of this.waiting) {
            clearTimeout(w.timer);
            w.reject(new Error(`relay child exited (code ${code}, signal ${signal})`));
            this.waiting.delete(id);
        }
        if (this.stopping)
            return;
        if (Date.now() - this.startedAt > 30_000)
            this.attempt = 0;
        const delay = (this.opts.restartDelay ?? defaultDelay)(this.attempt);
        const willRestart = delay !== null && this.addresses !== undefined;
        this.log?.error({ code, signal, willRestart, delay }, 'turn child: exited unexpectedly');
        this.emit('child-exit', { code, signal, willRestart });
        if (!willRestart)
            return;
        const attempt = this.attempt++;
        this.restartTimer = setTimeout(() => {
            this.restartTimer = undefined;
            if (this.stopping)
                return;
            this.spawn().then((addresses) => {
                this.log?.info({ attempt, addresses }, 'turn child: restarted');
                this.emit('child-restarted', { attempt, addresses });
            }, (err) => {
                this.log?.error({ err }, 'turn child: restart failed');
                this.child?.kill('SIGKILL');
            });
        }, delay);
    }
    request(m, timeoutMs = this.opts.requestTimeoutMs ?? 10_000) {
        const child = this.child;
        if (!child?.connected)
            return Promise.reject(new Error('relay child not running'));
        const id = this.nextId++;
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                this.waiting.delete(id);
                reject(new Error(`relay child did not answer ${m.t} within ${timeoutMs} ms`));
            }, timeoutMs);
            this.waiting.set(id, { resolve, reject, timer });
            child.send({ ...m, id });
        });
    }
    stats() {
        return this.request({ t: 'stats', id: 0 });
    }
    stop() {
        this.stopping ??= (async () => {
            if (this.restartTimer)
                clearTimeout(this.restartTimer);
            if (this.heartbeat)
                clearInterval(this.heartbeat);
            await this.starting?.catch(() => { });
            const child = this.child;
            if (!child || child.exitCode !== null || child.signalCode !== null)
                return;
            const exited = new Promise((r) => child.once('exit', () => r()));
            const timeout = this.opts.stopTimeoutMs ?? 5000;
            await this.request({ t: 'stop', id: 0 }).catch(() => { });
            const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
            await exited;
            clearTimeout(timer);
        })();
        return this.stopping;
    }
}
export function startRelayProcess(config, opts = {}) {
    return new RelayProcess(config, opts);
}
//# sourceMappingURL=child.js.map