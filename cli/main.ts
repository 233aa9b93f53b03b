#!/usr/bin/env node
/**
 * `npx switchboard send|receive|serve`: P2P file transfer from a terminal, and the server for
 * those who installed the package. Exit codes: 0 done, 1 failed (the reason on one line), 2 usage.
 */
import { parseCommand, USAGE, UsageError } from './args.js';
import { CliError } from './peer.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  const c = parseCommand(process.argv.slice(2));
  switch (c.cmd) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'serve':
      // The server of `npm start`, configured by its environment variables (README).
      if (c.port !== undefined) process.env.PORT = c.port;
      if (c.host !== undefined) process.env.HOST = c.host;
      await import('../server/main.js');
      return -1; // it runs until a signal ends the process
    case 'send':
      await (await import('./send.js')).send(c.file, c.peer, log);
      return 0;
    case 'receive':
      await (await import('./receive.js')).receive(c.out, c.peer, log);
      return 0;
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      log(`switchboard: ${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    log(`switchboard: ${err instanceof CliError || err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
