// The delay line's probe, run inside a namespace by bench/delay/probe.ts (plain node, no loader):
//   node udp.mjs echo <port>                                  answers every datagram with itself
//   node udp.mjs rtt <host> <port> <count> <intervalMs>       prints {"rtts":[ms...],"lost":n}
//   node udp.mjs blast <host> <port> <pps> <seconds>          prints {"sent":n,"received":n}
import dgram from 'node:dgram';

const [mode, ...a] = process.argv.slice(2);
const sock = dgram.createSocket('udp4');
if (mode === 'echo') {
  sock.on('message', (m, r) => sock.send(m, r.port, r.address));
  sock.bind(Number(a[0]), () => console.log('ready'));
} else if (mode === 'rtt') {
  const [host, port, count, every] = [a[0], Number(a[1]), Number(a[2]), Number(a[3])];
  const sent = new Map();
  const rtts = [];
  sock.on('message', (m) => {
    const i = m.readUInt32BE(0);
    const t = sent.get(i);
    if (t !== undefined) (rtts.push(Number(process.hrtime.bigint() - t) / 1e6), sent.delete(i));
  });
  let i = 0;
  const timer = setInterval(() => {
    const b = Buffer.alloc(64);
    b.writeUInt32BE(i);
    sent.set(i++, process.hrtime.bigint());
    sock.send(b, port, host);
    if (i === count) {
      clearInterval(timer);
      setTimeout(() => (console.log(JSON.stringify({ rtts, lost: sent.size })), process.exit(0)), 1000);
    }
  }, every);
} else if (mode === 'blast') {
  const [host, port, pps, seconds] = [a[0], Number(a[1]), Number(a[2]), Number(a[3])];
  let received = 0;
  let sent = 0;
  sock.on('message', () => received++);
  const b = Buffer.alloc(200);
  const start = performance.now();
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - start) / 1000) * pps);
    for (; sent < due && sent < pps * seconds; sent++) sock.send(b, port, host);
    if (sent >= pps * seconds) {
      clearInterval(timer);
      setTimeout(() => (console.log(JSON.stringify({ sent, received })), process.exit(0)), 1500);
    }
  }, 2);
} else {
  console.error('usage: udp.mjs echo <port> | rtt <host> <port> <count> <ms> | blast <host> <port> <pps> <s>');
  process.exit(2);
}
