/** The transfer's progress on stderr: a bar redrawn in place on a terminal, a line per 10% elsewhere. */
import type { FileTransfer } from '../web/src/core/index.js';

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export class Progress {
  private lastDecile = -1;
  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  update(t: FileTransfer): void {
    const frac = t.size === 0 ? 1 : t.transferred / t.size;
    const pct = Math.floor(frac * 100);
    const rate = `${mb(t.rateBps)}/s`;
    if (this.out.isTTY) {
      const width = 30;
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
      this.out.write(`\r[${bar}] ${String(pct).padStart(3)}% ${mb(t.transferred)} of ${mb(t.size)} ${rate}   `);
    } else if (Math.floor(pct / 10) > this.lastDecile) {
      this.lastDecile = Math.floor(pct / 10);
      this.out.write(`${t.direction === 'out' ? 'sent' : 'received'} ${pct}% (${mb(t.transferred)} of ${mb(t.size)}, ${rate})\n`);
    }
  }

  done(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}
