import type { Context } from '../context.js';
import { note } from '../progress.js';
import { median, stageRows, type StageRep } from '../report/stages.js';
import { measureCeilingCpu } from './ceiling-cpu.js';
import { DLR_MS, endToEndRun, type EndToEndRun } from './e2e-run.js';

const fmt = (n: number | undefined) => (n === undefined ? 'n/a' : Math.round(n).toLocaleString('en-US'));

/**
 * Phase 2, end to end and the stage table: per repetition c (the ceiling server's CPU per
 * request), then N sends delivered with the SMSC in a process of its own, then the same with the
 * built-in simulator (the embedded default). The gateway's CPU is read per thread (threads.ts);
 * the simulator's share is the difference between the two runs. Medians of 3 repetitions (1
 * with --quick).
 */
export async function endToEndPhase(ctx: Context): Promise<void> {
  const target = ctx.quick ? 10_000 : 50_000;
  const reps = ctx.quick ? 1 : 3;
  const runs: StageRep[] = [];
  for (let i = 1; i <= reps; i++) {
    note(`end-to-end: repetition ${i} of ${reps}: c, then ${target.toLocaleString('en-US')} sends with the SMSC in its own process, then built in`);
    const ceiling = await measureCeilingCpu(ctx);
    const own = await endToEndRun(ctx, 'own process', target, `own-${i}`);
    const builtIn = await endToEndRun(ctx, 'built-in', target, `builtin-${i}`);
    runs.push({ ceiling, own, builtIn });
  }
  const rows = stageRows(runs);
  ctx.stages.push(...rows);
  ctx.details.stages = { rows, runs, dlrMs: DLR_MS, sendsPerRun: target };

  const figure = (smsc: 'own process' | 'built-in', pick: (r: StageRep) => EndToEndRun) => {
    const all = runs.map(pick);
    const perS = median(all.map((r) => r.perS ?? Number.NaN));
    const complete = all.every((r) => r.delivered === r.total);
    const last = all.at(-1)!;
    return {
      phase: 'end-to-end',
      figure: `delivered/s (SMSC ${smsc === 'own process' ? 'in its own process' : 'built in'})`,
      value: perS,
      unit: '/s',
      target: smsc === 'own process' ? '>= 10,000/s (quiet machine)' : undefined,
      met: smsc === 'own process' ? perS !== undefined && perS >= 10_000 && complete : undefined,
      note: `median of ${all.length} (${all.map((r) => fmt(r.perS)).join(', ')}); last: ${last.delivered} of ${last.total} delivered in ${last.spanS.toFixed(1)} s from first accept to last delivery (accepting took ${last.acceptS.toFixed(1)} s); DLR delay ${DLR_MS} ms`,
    };
  };
  ctx.figures.push(figure('own process', (r) => r.own), figure('built-in', (r) => r.builtIn));
}
