import { accessSync, constants, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem, release } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Context } from './context.js';
import { AutocannonGenerator } from './load/autocannon.js';
import type { LoadGenerator } from './load/types.js';
import { WrkGenerator } from './load/wrk.js';
import { profilePhase } from './phases/profile.js';
import { PHASES } from './phases/registry.js';
import { note, skipped } from './progress.js';
import { killChildren } from './proc.js';
import { freshRunFiles, saveDatedCopy, shown } from './report/files.js';
import { stageTable } from './report/stages.js';
import { chart } from './report/svg.js';
import { table } from './report/table.js';

const USAGE = `npm run bench [-- options]
  --quick                a short run for development (a few minutes; 1 repetition instead of 3)
  --only=a,b             phases to run (default: ${PHASES.filter((p) => p.byDefault).map((p) => p.name).join(', ')}):
${PHASES.map((p) => `                           ${p.name}: ${p.about}`).join('\n')}
  --profile              also profile the gateway delivering sends (node --cpu-prof): top self
                         times of every thread (main, dispatch), each from its own .cpuprofile
  --generator=wrk|autocannon   default: wrk when installed, autocannon otherwise
  --keep                 keep the temporary folder (databases, scripts)
  --save                 also keep a dated copy in bench/results/ to commit (every run writes
                         bench/results/runs/, which git ignores)`;

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).concat('/usr/bin', '/usr/local/bin')) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

function pickGenerator(wanted: string | undefined, tmp: string): LoadGenerator {
  const wrk = findOnPath('wrk');
  if (wanted === 'autocannon') return new AutocannonGenerator();
  if (wrk) return new WrkGenerator(wrk, tmp);
  if (wanted === 'wrk') throw new Error('--generator=wrk, but wrk is not installed (apt-get install wrk)');
  note('wrk is not installed (apt-get install wrk): using autocannon for every figure');
  return new AutocannonGenerator();
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const unknown = args.filter((a) => !/^--(quick|profile|keep|save|only=.*|generator=.*)$/.test(a));
  if (unknown.length > 0) throw new Error(`unknown option ${unknown[0]}\n${USAGE}`);
  const quick = args.includes('--quick');
  const only = option('only')?.split(',') ?? PHASES.filter((p) => p.byDefault).map((p) => p.name);
  for (const name of only) if (!PHASES.some((p) => p.name === name)) throw new Error(`unknown phase "${name}"; phases: ${PHASES.map((p) => p.name).join(', ')}`);

  const tmp = mkdtempSync(join(tmpdir(), 'smsgate-bench-'));
  const gen = pickGenerator(option('generator'), tmp);
  const files = freshRunFiles();
  const ctx: Context = { gen, quick, tmp, files, figures: [], series: [], stages: [], details: {} };
  const started = Date.now();
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30), kernel: release(), node: process.version };
  note(`smsgate benchmark (${quick ? 'quick' : 'full'}), generator ${gen.name}, ${machine.cores} x ${machine.cpu}, node ${machine.node}, temp ${tmp}`);

  let failed = 0;
  const phases: [string, (c: Context) => Promise<void>][] = PHASES.filter((p) => only.includes(p.name)).map((p) => [p.name, p.run]);
  if (args.includes('--profile')) phases.push(['profile', profilePhase]);
  for (const [name, phase] of phases) {
    note(`== phase: ${name}`);
    try {
      await phase(ctx);
    } catch (error) {
      failed += 1;
      skipped(name, `it failed: ${(error as Error).message}`);
      ctx.details[`${name}Error`] = (error as Error).message;
    }
  }
  for (const p of PHASES) if (!only.includes(p.name)) skipped(p.name, option('only') ? 'not in --only' : 'not run by default (--only)');

  const date = new Date().toISOString();
  const results = { date, mode: quick ? 'quick' : 'full', durationS: (Date.now() - started) / 1000, machine, generator: gen.name, stages: ctx.stages, figures: ctx.figures, details: ctx.details };
  writeFileSync(files.json, `${JSON.stringify(results, null, 2)}\n`);
  if (ctx.series.length > 0) {
    writeFileSync(files.svg, chart(ctx.series, `${date.slice(0, 10)} · ${machine.cores} x ${machine.cpu} · node ${machine.node} · ${gen.name} · ${quick ? 'quick' : 'full'} run`));
  }
  process.stdout.write(`\nsmsgate benchmark, ${date} (${quick ? 'quick' : 'full'} run, ${results.durationS.toFixed(0)} s), ${machine.cores} x ${machine.cpu}, node ${machine.node}, generator ${gen.name}\n\n`);
  const written = [files.json, files.svg, files.profile].filter((f) => existsSync(f)).map(shown);
  if (ctx.stages.length > 0) process.stdout.write(`${stageTable(ctx.stages, quick ? 1 : 3)}\n\n`);
  process.stdout.write(`${table(ctx.figures)}\n\nwritten: ${written.join(', ')}\n`);
  if (args.includes('--save')) process.stdout.write(`saved (commit these): ${saveDatedCopy(files, date, results.mode).join(', ')}\n`);
  if (args.includes('--keep')) note(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
  return failed > 0 ? 1 : 0;
}

process.on('SIGINT', () => {
  killChildren();
  process.exit(130);
});
main().then(
  (code) => {
    killChildren();
    process.exit(code);
  },
  (error: unknown) => {
    killChildren();
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    process.exit(2);
  },
);
