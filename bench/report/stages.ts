import type { CeilingCpu } from '../phases/ceiling-cpu.js';
import type { EndToEndRun } from '../phases/e2e-run.js';

/** One row of the stage table: CPU per message of one stage, in microseconds and in c. */
export interface StageRow {
  readonly stage: string;
  /** Which threads or processes the figure is read from. */
  readonly source: string;
  readonly us: number | undefined;
  readonly c: number | undefined;
  /** The budget in c (issue 14), absent for a row shown for context. */
  readonly budgetC?: number;
  readonly met?: boolean;
  readonly note?: string;
}

/** One repetition: c, then the same sends with the SMSC in its own process and built in. */
export interface StageRep {
  readonly ceiling: CeilingCpu;
  readonly own: EndToEndRun;
  readonly builtIn: EndToEndRun;
}

export function median(values: readonly number[]): number | undefined {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[mid] : (v[mid - 1]! + v[mid]!) / 2;
}

const helpers = (r: EndToEndRun) => r.cpuPerMessage.v8 + r.cpuPerMessage.libuv + r.cpuPerMessage.other;

interface RowSpec {
  readonly stage: string;
  readonly source: string;
  readonly us: (rep: StageRep) => number | undefined;
  readonly budgetC?: number;
  readonly note?: (reps: readonly StageRep[]) => string;
}

const fmt = (n: number | undefined, digits = 0) => (n === undefined ? 'n/a' : n.toFixed(digits));

const SPECS: readonly RowSpec[] = [
  {
    stage: 'accept',
    source: 'gateway main thread (HTTP, validation, auth, number, template, limits, id)',
    us: (r) => r.own.cpuPerMessage.main,
    budgetC: 1.6,
    note: () => 'on SQLite the commit of the sends runs on the dispatch thread (one writer), so its share is in deliver',
  },
  {
    stage: 'deliver',
    source: 'gateway dispatch thread (commit, hand-off, submit, resp, receipt, status writes, fsync)',
    us: (r) => r.own.cpuPerMessage.dispatch,
    budgetC: 1.2,
  },
  {
    stage: 'GC and helper threads',
    source: 'gateway V8 platform + libuv pool threads',
    us: (r) => helpers(r.own),
    note: (reps) => `inside the budgets above; V8 platform ${fmt(median(reps.map((r) => r.own.cpuPerMessage.v8)), 1)} us, libuv pool and others ${fmt(median(reps.map((r) => r.own.cpuPerMessage.libuv + r.own.cpuPerMessage.other)), 1)} us`,
  },
  {
    stage: 'end to end, gateway only',
    source: 'gateway process, all threads (SMSC in its own process)',
    us: (r) => r.own.cpuPerMessage.total,
    budgetC: 3,
  },
  {
    stage: 'built-in simulator',
    source: 'gateway process with the simulator built in, minus the same without',
    us: (r) => r.builtIn.cpuPerMessage.total - r.own.cpuPerMessage.total,
    budgetC: 1,
    note: (reps) => `dispatch thread +${fmt(median(reps.map((r) => r.builtIn.cpuPerMessage.dispatch - r.own.cpuPerMessage.dispatch)))} us, helpers +${fmt(median(reps.map((r) => helpers(r.builtIn) - helpers(r.own))))} us; the simulator in its own process: ${fmt(median(reps.map((r) => r.own.smscUsPerMessage ?? Number.NaN)))} us`,
  },
  {
    stage: 'end to end, embedded default',
    source: 'gateway process, all threads, built-in simulator',
    us: (r) => r.builtIn.cpuPerMessage.total,
    budgetC: 4,
    note: () => 'budget = 3 c (gateway) + 1 c (simulator)',
  },
];

/** The stage table from the repetitions: per row the median of the microseconds and of the ratios to each repetition's own c. */
export function stageRows(reps: readonly StageRep[]): StageRow[] {
  const c = median(reps.map((r) => r.ceiling.usPerRequest));
  const rows: StageRow[] = [
    {
      stage: 'c: bare node:http',
      source: 'ceiling server process, all threads, per request',
      us: c,
      c: 1,
      note: `main thread ${fmt(median(reps.map((r) => r.ceiling.mainUsPerRequest)), 1)} us; ${fmt(median(reps.map((r) => r.ceiling.perS)))} requests/s`,
    },
  ];
  for (const spec of SPECS) {
    const us = median(reps.map((r) => spec.us(r) ?? Number.NaN));
    const ratio = median(reps.map((r) => (spec.us(r) ?? Number.NaN) / r.ceiling.usPerRequest));
    rows.push({
      stage: spec.stage,
      source: spec.source,
      us,
      c: ratio,
      budgetC: spec.budgetC,
      met: spec.budgetC === undefined || ratio === undefined ? undefined : ratio <= spec.budgetC,
      note: spec.note?.(reps),
    });
  }
  return rows;
}

/** The stage table as Markdown, like the figures table. */
export function stageTable(rows: readonly StageRow[], runs: number): string {
  const head = ['stage', 'CPU per message', 'x c', 'budget', 'met?', 'measured on', 'notes'];
  const cells = rows.map((r) => [
    r.stage,
    r.us === undefined ? 'n/a' : `${r.us.toFixed(1)} us`,
    r.c === undefined ? 'n/a' : `${r.c.toFixed(2)} c`,
    r.budgetC === undefined ? '' : `<= ${r.budgetC.toFixed(1)} c`,
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
    r.source,
    r.note ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const title = `CPU per message by stage (median of ${runs} run${runs === 1 ? '' : 's'}; c = the bare node:http server's CPU per request in the same run):`;
  return [title, '', line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
