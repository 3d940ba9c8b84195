import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from '../context.js';
import { url } from '../context.js';
import { note } from '../progress.js';
import { openReadOnly } from '../db.js';
import { CLIENT_ID, ROOT, TEMPLET_ID, probeSend, setupCatalog, sleep, startGateway, startHelper, stopChild } from '../proc.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  readonly fn: string;
  readonly where: string;
  readonly ms: number;
  readonly percent: number;
}

/** A script's place as the reader knows it: node_modules/x/... (wherever the folder really is, e.g. a symlink), or relative to the clone. */
function shortUrl(url: string): string {
  const at = url.lastIndexOf('/node_modules/');
  return at >= 0 ? url.slice(at + 1) : url.replace(`file://${ROOT}/`, '');
}

/** Self time per function (name + file + line), largest first. */
export function selfTimes(profile: CpuProfile): SelfTime[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, { fn: string; where: string; us: number }>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const frame = byNode.get(id)!.callFrame;
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName}|${where}`;
    const entry = totals.get(key) ?? { fn: frame.functionName || '(anonymous)', where, us: 0 };
    entry.us += delta;
    totals.set(key, entry);
    all += delta;
  });
  return [...totals.values()]
    .sort((a, b) => b.us - a.us)
    .map((e) => ({ fn: e.fn, where: e.where, ms: e.us / 1000, percent: (100 * e.us) / all }));
}

/** Self time summed by package (node_modules/x), gateway folder (dist/x) or kind (node:, native, gc). */
export function byArea(times: readonly SelfTime[]): [string, number][] {
  const areas = new Map<string, number>();
  for (const t of times) {
    const w = t.where;
    const area = w.startsWith('node_modules/')
      ? w.split('/').slice(0, w.startsWith('node_modules/@') ? 3 : 2).join('/')
      : w.startsWith('dist/')
        ? w.split('/').slice(0, w.split('/').length > 3 ? 3 : 2).join('/')
        : w.startsWith('node:')
          ? 'node: internals (JS)'
          : w === ''
            ? /^\(.*\)$/.test(t.fn) ? t.fn : 'native (syscalls, bindings)'
            : w;
    areas.set(area, (areas.get(area) ?? 0) + t.percent);
  }
  return [...areas].sort((a, b) => b[1] - a[1]);
}

/** Node's file name for a profile: CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile. */
export function profileThreadId(file: string): number | undefined {
  const m = /^CPU\.\d+\.\d+\.\d+\.(\d+)\.\d+\.cpuprofile$/.exec(file);
  return m ? Number(m[1]) : undefined;
}

/** Worker threadIds count up from 1 in the order workers start: the gateway's first is the dispatch thread. */
const threadName = (id: number | undefined) => (id === 0 ? 'main thread (HTTP, accept)' : id === 1 ? 'dispatch thread (worker 1)' : `thread ${id ?? '?'}`);

function report(file: string, profile: CpuProfile, topN: number): string {
  const all = selfTimes(profile);
  const totalMs = all.reduce((s, t) => s + t.ms, 0);
  const idle = all.filter((t) => t.fn === '(idle)').reduce((s, t) => s + t.ms, 0);
  const busy = all.filter((t) => t.fn !== '(idle)'); // percentages stay of all samples, idle included
  const lines = busy.slice(0, topN).map((t, i) => `${String(i + 1).padStart(2)}. ${t.percent.toFixed(1).padStart(5)}%  ${t.ms.toFixed(0).padStart(6)} ms  ${t.fn}  ${t.where}`);
  const areas = byArea(all).slice(0, 10).map(([area, percent]) => `  ${percent.toFixed(1).padStart(5)}%  ${area}`);
  return `== ${threadName(profileThreadId(file))}: ${file}, ${(totalMs / 1000).toFixed(1)} s sampled, ${((100 * idle) / Math.max(totalMs, 1)).toFixed(0)}% idle\nTop ${topN} self time:\n${lines.join('\n')}\nSelf time by area:\n${areas.join('\n')}\n`;
}

/**
 * --profile: the gateway under `node --cpu-prof` delivering sends end to end (SMSC in a process
 * of its own, as in the stage table), then the top self times of every thread: Node writes one
 * .cpuprofile per thread, the dispatch worker's included, when each thread ends.
 */
export async function profilePhase(ctx: Context): Promise<void> {
  const dbPath = join(ctx.tmp, 'profile', 'smsgate.db');
  const profDir = join(ctx.tmp, 'cpuprof');
  mkdirSync(profDir, { recursive: true });
  const passcode = await setupCatalog(dbPath);
  const sim = await startHelper('sim-server.js', [], { BENCH_SIM_DLR_MS: '20' });
  const carriers = join(ctx.tmp, 'profile', 'carriers.json');
  writeFileSync(carriers, JSON.stringify({
    connections: [{ name: 'bench-sim', host: '127.0.0.1', port: sim.port, system_id: 'smsgate', password: 'smsgate', window: 5000, max_submits_per_second: 0 }],
  }));
  const gateway = await startGateway({ dbPath, cpuProfDir: profDir, env: { SMSGATE_CARRIERS: carriers } });
  const seconds = ctx.quick ? 4 : 8;
  try {
    await probeSend(gateway.port, passcode);
    note(`profile: ${seconds} s of sends at 64 connections under node --cpu-prof, then until all are delivered`);
    await ctx.gen.run({ url: url(gateway.port, 'sendsms'), connections: 64, durationS: seconds, body: { kind: 'send', clientId: CLIENT_ID, passcode, templetId: TEMPLET_ID, numberOffset: 0 } });
    const db = openReadOnly(dbPath);
    try {
      const deadline = Date.now() + 60_000;
      const pending = db.prepare('SELECT count(*) AS n FROM messages WHERE done_at IS NULL');
      while ((pending.get() as { n: number }).n > 0 && Date.now() < deadline) await sleep(100);
    } finally {
      db.close();
    }
  } finally {
    await gateway.stop(); // each thread writes its profile as it ends
    await stopChild(sim.child);
  }
  const files = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')).sort((a, b) => (profileThreadId(a) ?? 99) - (profileThreadId(b) ?? 99));
  if (files.length === 0) throw new Error('no .cpuprofile written');
  if (files.length === 1) note('profile: only one thread wrote a profile (the dispatch thread did not end cleanly?)');
  const text = `smsgate delivering sends at 64 connections, SMSC in its own process (${new Date().toISOString()}); one profile per thread:\n\n${files.map((f) => report(f, JSON.parse(readFileSync(join(profDir, f), 'utf8')) as CpuProfile, 15)).join('\n')}`;
  process.stderr.write(`\n${text}\n`);
  writeFileSync(ctx.files.profile, text);
  ctx.details.profile = files.map((f) => ({ file: f, thread: threadName(profileThreadId(f)), top: selfTimes(JSON.parse(readFileSync(join(profDir, f), 'utf8')) as CpuProfile).slice(0, 15) }));
}
