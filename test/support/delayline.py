#!/usr/bin/python3
"""A delay line: reads IP packets from one TUN device and writes them to the other after a fixed
one-way delay (and, optionally, drops a share of them at random), in both directions.

Why this exists: the kernel here has no netem (`tc qdisc ... netem` is unknown), and Node cannot
attach to a TUN device (it needs an ioctl). Python's standard library can (fcntl.ioctl
TUNSETIFF), so this is the whole program: no dependency. Run inside the namespace that routes
through it (test/support/delay-line.ts sets up the devices' addresses and routes after it is ready).

    delayline.py --a dl0 --b dl1 --delay-ms 25 [--loss 0.01] [--seed 1]

Prints one line `ready <a> <b>` once both devices exist, and on SIGTERM `stats {...}` (packets
forwarded and dropped each way, the largest lateness seen) before it exits.
"""
import argparse, collections, fcntl, json, os, random, select, signal, struct, sys, time

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000


def open_tun(name):
    fd = os.open('/dev/net/tun', os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH', name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--a', required=True)
    p.add_argument('--b', required=True)
    p.add_argument('--delay-ms', type=float, required=True)
    p.add_argument('--loss', type=float, default=0.0)
    p.add_argument('--seed', type=int, default=None)
    o = p.parse_args()
    if not (0 <= o.delay_ms <= 10_000) or not (0 <= o.loss < 1):
        sys.exit('delayline: --delay-ms must be 0-10000 and --loss in [0, 1)')
    rnd = random.Random(o.seed)
    delay = o.delay_ms / 1000.0
    fa, fb = open_tun(o.a), open_tun(o.b)
    peer = {fa: fb, fb: fa}
    # A fixed delay keeps each direction in arrival order: one FIFO per output device.
    queues = {fa: collections.deque(), fb: collections.deque()}
    stats = {'forwarded': {o.a: 0, o.b: 0}, 'dropped': {o.a: 0, o.b: 0}, 'maxLateMs': 0.0, 'queuedMax': 0}
    names = {fa: o.a, fb: o.b}
    running = [True]
    signal.signal(signal.SIGTERM, lambda *_: running.__setitem__(0, False))
    signal.signal(signal.SIGINT, lambda *_: running.__setitem__(0, False))
    print(f'ready {o.a} {o.b}', flush=True)
    while running[0]:
        now = time.monotonic()
        due = min((q[0][0] for q in queues.values() if q), default=None)
        timeout = 0.5 if due is None else max(0.0, due - now)
        try:
            readable, _, _ = select.select([fa, fb], [], [], timeout)
        except InterruptedError:
            continue
        for fd in readable:
            # Drain what is there: a burst must not wait one select per packet.
            for _ in range(256):
                try:
                    pkt = os.read(fd, 65536)
                except BlockingIOError:
                    break
                if o.loss and rnd.random() < o.loss:
                    stats['dropped'][names[fd]] += 1
                    continue
                q = queues[peer[fd]]
                q.append((time.monotonic() + delay, pkt, names[fd]))
                stats['queuedMax'] = max(stats['queuedMax'], len(q))
        now = time.monotonic()
        for out, q in queues.items():
            while q and q[0][0] <= now:
                at, pkt, src = q.popleft()
                stats['maxLateMs'] = max(stats['maxLateMs'], (now - at) * 1000)
                try:
                    os.write(out, pkt)
                    stats['forwarded'][src] += 1
                except OSError:
                    stats['dropped'][src] += 1  # the device went down (teardown)
    print('stats ' + json.dumps(stats), flush=True)


if __name__ == '__main__':
    main()
