/**
 * The Node/V8 flags `npm start` gives the signaling server (package.json "start": the options
 * between `node` and `--import`), so the benchmarks measure the server as it ships and the
 * Docker image can be checked against it. The bare relays the benchmarks compare against get the
 * same flags.
 */
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
const node = pkg.scripts.start.split(/\s+/);
const from = node.indexOf('node') + 1;

export const SERVER_NODE_FLAGS: string[] = node.slice(from, node.indexOf('--import', from));
