#!/usr/bin/env node
/**
 * `npx switchboard send|receive|serve|conformance`: P2P file transfer from a terminal, the server
 * for those who installed the package, and the protocol's conformance check. Exit codes: 0 done
 * (every check passed), 1 failed (the reason on one line; a check failed), 2 usage.
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
    case 'conformance': {
      // The report is what was asked for: stdout. Progress and a failure to run go to stderr.
      const report = await (await import('./conformance/checks.js')).conformance(c.peer, (line) => process.stdout.write(`${line}\n`));
      process.stdout.write(`${report.summary()}\n`);
      return report.failed.length ? 1 : 0;
    }
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
