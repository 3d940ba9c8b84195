import type { Figure } from '../context.js';

export function formatValue(f: Figure): string {
  if (f.value === undefined || Number.isNaN(f.value)) return 'n/a';
  const digits = f.unit === 'ms' ? 2 : f.unit === '%' || f.unit === 'MB' ? 1 : 0;
  return `${f.value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${f.unit}`;
}

const met = (f: Figure) => (f.target === undefined ? '' : f.met ? 'yes' : 'NO');

/** The figures as a Markdown table (readable on a terminal, pasteable into the README). */
export function table(figures: readonly Figure[], withNotes = true): string {
  const head = ['phase', 'figure', 'value', 'target', 'met?', ...(withNotes ? ['notes'] : [])];
  const rows = figures.map((f) => [f.phase, f.figure, formatValue(f), f.target ?? '', met(f), ...(withNotes ? [f.note ?? ''] : [])]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
