/**
 * The soak's server in a process of its own, so that its memory is its own: createSignalingServer
 * from the options in SOAK_SERVER_OPTIONS (JSON), started with `--expose-gc`. Prints `{port, pid}`
 * when listening. On the IPC message `{ gc: true }` it collects garbage and prints its memory, its
 * handles (process.getActiveResourcesInfo, by kind) and how many error lines it logged. On
 * SIGTERM it stops and must then exit by itself: a timer or socket left open keeps it alive, and
 * after 3 s it names them on stderr and exits 3.
 */
import { pino } from 'pino';
import { createLogger } from '../../server/log.js';
import { createSignalingServer, type SignalingServerOptions } from '../../server/signaling-server.js';

const options = JSON.parse(process.env.SOAK_SERVER_OPTIONS ?? '{}') as SignalingServerOptions;
let errorLines = 0;
// Warnings and errors go to stderr (an error line is a server bug the soak reports).
const destination: pino.DestinationStream = {
  write(line: string) {
    if ((JSON.parse(line) as { level: number }).level >= 50) errorLines++;
    process.stderr.write(line);
  },
};
const app = createSignalingServer({ ...options, log: createLogger('warn', destination) });
const { port } = await app.start();
process.stdout.write(JSON.stringify({ port, pid: process.pid }) + '\n');

const handles = () => {
  const byKind: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) byKind[kind] = (byKind[kind] ?? 0) + 1;
  return byKind;
};
process.on('message', (m: { gc?: boolean }) => {
  if (!m.gc) return;
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  process.stdout.write(JSON.stringify({ rss, heapUsed, handles: handles(), errorLines }) + '\n');
});
process.once('SIGTERM', () => {
  void app.stop().then(() => {
    process.disconnect?.();
    setTimeout(() => {
      process.stderr.write(`soak server: still open 3 s after stop: ${JSON.stringify(handles())}\n`);
      process.exit(3);
    }, 3000).unref();
  });
});
