import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from '../context.js';
import { url } from '../context.js';
import { note } from '../progress.js';
import { CLIENT_ID, ROOT, TEMPLET_ID, setupCatalog, startGateway, probeSend } from '../proc.js';

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

/** Self time per function (name + file + line), largest first. */
export function selfTimes(profile: CpuProfile): SelfTime[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, { fn: string; where: string; us: number }>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const frame = byNode.get(id)!.callFrame;
    const where = frame.url ? `${frame.url.replace(`file://${ROOT}/`, '')}:${frame.lineNumber + 1}` : '';
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

/** --profile: a gateway under `node --cpu-prof` taking sends at 64 connections; top 15 self times. */
export async function profilePhase(ctx: Context): Promise<void> {
  const dbPath = join(ctx.tmp, 'profile', 'smsgate.db');
  const profDir = join(ctx.tmp, 'cpuprof');
  mkdirSync(profDir, { recursive: true });
  const passcode = await setupCatalog(dbPath);
  const gateway = await startGateway({ dbPath, cpuProfDir: profDir });
  try {
    await probeSend(gateway.port, passcode);
    note('profile: 8 s of sends at 64 connections under node --cpu-prof');
    await ctx.gen.run({ url: url(gateway.port, 'sendsms'), connections: 64, durationS: 8, body: { kind: 'send', clientId: CLIENT_ID, passcode, templetId: TEMPLET_ID, numberOffset: 0 } });
  } finally {
    await gateway.stop(); // the profile is written on exit
  }
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written');
  const all = selfTimes(JSON.parse(readFileSync(join(profDir, file), 'utf8')) as CpuProfile);
  const top = all.slice(0, 15);
  const lines = top.map((t, i) => `${String(i + 1).padStart(2)}. ${t.percent.toFixed(1).padStart(5)}%  ${t.ms.toFixed(0).padStart(6)} ms  ${t.fn}  ${t.where}`);
  const areas = byArea(all).slice(0, 12).map(([area, percent]) => `  ${percent.toFixed(1).padStart(5)}%  ${area}`);
  const text = `Top 15 self time, smsgate under sends at 64 connections (${new Date().toISOString()}):\n${lines.join('\n')}\n\nSelf time by area:\n${areas.join('\n')}\n`;
  process.stderr.write(`\n${text}\n`);
  writeFileSync(ctx.files.profile, text);
  ctx.details.profile = top;
}
