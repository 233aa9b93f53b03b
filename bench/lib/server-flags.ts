/**
 * The V8 flags `npm start` gives the signaling server (package.json "start"), so the benchmarks
 * measure the server as it ships. The bare relays they compare against get the same flags.
 */
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };

export const SERVER_NODE_FLAGS: string[] = pkg.scripts.start.split(/\s+/).filter((t) => /^--max-(semi|old)-space-size=\d+$/.test(t));
