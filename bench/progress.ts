/** Progress and notices on stderr, so stdout holds only the table. */
const tty = process.stderr.isTTY === true;
let shown = false;

export function note(message: string): void {
  clearBar();
  process.stderr.write(`${message}\n`);
}

export function skipped(phase: string, why: string): void {
  note(`skipped: ${phase}: ${why}`);
}

/** A one-line bar redrawn with \r (or a line every 10% when stderr is not a terminal). */
export function progress(label: string, done: number, total: number, extra = ''): void {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const width = 30;
  const filled = Math.round(fraction * width);
  const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${extra}`;
  if (tty) {
    process.stderr.write(`\r${line.padEnd(100).slice(0, 100)}`);
    shown = true;
  } else if (Math.floor(fraction * 10) !== lastDecile.get(label)) {
    lastDecile.set(label, Math.floor(fraction * 10));
    process.stderr.write(`${line}\n`);
  }
  if (fraction >= 1 && tty) {
    process.stderr.write('\n');
    shown = false;
  }
}
const lastDecile = new Map<string, number>();

function clearBar(): void {
  if (tty && shown) process.stderr.write('\r'.padEnd(101) + '\r');
  shown = false;
}
