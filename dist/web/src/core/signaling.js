import { Emitter } from './emitter.js';
import { RetryState, signalingRetryPolicy } from './retry.js';
export const ACK_TIMEOUT_MS = 8000;
const timeoutError = (event) => ({ ok: false, error: { code: 'unavailable', message: `no answer to ${event} within ${ACK_TIMEOUT_MS} ms` } });
export class SignalingClient extends Emitter {
    socket;
    status = 'idle';
    /** Successful connects so far (1 after the first). */
    connects = 0;
    everConnected = false;
    timer = null;
    retry;
    /** Set by `server-shutdown`: wait at least this long before reconnecting. */
    minDelayMs = 0;
    constructor(socket, policy = signalingRetryPolicy) {
        super();
        this.socket = socket;
        this.retry = new RetryState(policy);
        socket.on('connect', () => {
            this.connects++;
            this.everConnected = true;
            this.retry.reset();
            this.minDelayMs = 0;
            this.setStatus('connected');
            this.emit('connected');
        });
        socket.on('disconnect', (reason) => {
            if (this.status === 'closed' || reason === 'io client disconnect')
                return;
            this.scheduleReconnect(reason);
        });
        socket.on('connect_error', (err) => {
            if (this.status === 'closed')
                return;
            this.scheduleReconnect(err?.message ?? 'connect_error');
        });
        socket.on('server-shutdown', (m) => {
            this.minDelayMs = Math.min(Math.max(0, Number(m?.reconnectAfterMs) || 0), 30_000);
        });
        socket.on('joined', (ack) => this.emit('joined', ack));
        socket.on('peer-joined', (p) => this.emit('peer-joined', p));
        socket.on('peer-left', (m) => this.emit('peer-left', m));
        socket.on('signal', (m) => this.emit('signal', m));
        socket.on('protocol-error', (e) => this.emit('protocol-error', e));
    }
    start() {
        if (this.status !== 'idle')
            return;
        this.setStatus('connecting');
        this.socket.connect();
    }
    get connected() {
        return this.socket.connected;
    }
    /** The transport in use ('websocket' or 'polling'), when the socket is a Socket.IO client. */
    get transport() {
        const io = this.socket.io;
        return io?.engine?.transport?.name ?? null;
    }
    join(req) {
        return this.request('join', req);
    }
    iceServers() {
        return this.request('ice-servers', {});
    }
    signal(to, data) {
        if (this.socket.connected)
            this.socket.emit('signal', { to, data });
    }
    /** Leave the room and close the socket for good. */
    close() {
        if (this.status === 'closed')
            return;
        if (this.socket.connected)
            this.socket.emit('leave', {});
        this.setStatus('closed');
        if (this.timer)
            clearTimeout(this.timer);
        this.socket.disconnect();
    }
    request(event, payload) {
        return new Promise((resolve) => {
            if (!this.socket.connected) {
                resolve({ ok: false, error: { code: 'unavailable', message: 'not connected to the server' } });
                return;
            }
            let done = false;
            const timer = setTimeout(() => {
                done = true;
                resolve(timeoutError(event));
            }, ACK_TIMEOUT_MS);
            this.socket.emit(event, payload, (res) => {
                if (done)
                    return;
                clearTimeout(timer);
                resolve(res);
            });
        });
    }
    scheduleReconnect(reason) {
        if (this.timer)
            return;
        const delay = this.retry.next(reason);
        if (delay === null) {
            this.setStatus('unreachable');
            return;
        }
        this.setStatus(this.everConnected ? 'reconnecting' : this.retry.attempts > 1 ? 'unreachable' : 'connecting');
        this.timer = setTimeout(() => {
            this.timer = null;
            if (this.status !== 'closed' && !this.socket.connected)
                this.socket.connect();
        }, Math.max(delay, this.minDelayMs));
    }
    setStatus(s) {
        if (this.status === s)
            return;
        this.status = s;
        this.emit('status', s);
    }
}
//# sourceMappingURL=signaling.js.map