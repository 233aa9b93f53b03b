/**
 * The Node/V8 flags `npm start` gives the signaling server (package.json "start": the options
 * between the `node` that runs the server and its entry script), so the benchmarks measure the
 * server as it ships and the Docker image can be checked against it. The bare relays the
 * benchmarks compare against get the same flags.
 */
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
const words = pkg.scripts.start.split(/\s+/);
const node = words.lastIndexOf('node');
const entry = words.findIndex((w, i) => i > node && !w.startsWith('-'));

export const SERVER_NODE_FLAGS: string[] = words.slice(node + 1, entry);
