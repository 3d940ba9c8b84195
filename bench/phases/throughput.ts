import { join } from 'node:path';
import type { Context } from '../context.js';
import { url } from '../context.js';
import { countMessages, openReadOnly } from '../db.js';
import { combine } from '../load/quantiles.js';
import type { LoadResult, LoadSpec } from '../load/types.js';
import { note, progress } from '../progress.js';
import { CLIENT_ID, TEMPLET_ID, setupCatalog, sleep, startGateway, startHelper, stopChild, probeSend } from '../proc.js';
import { verifyCommitBefore200 } from '../verify.js';

const CONNECTIONS = 64;

/** Runs `slices` one-second runs after a one-second warm-up; the slices make the time series. */
export async function sliced(ctx: Context, label: string, slices: number, spec: (offset: number) => LoadSpec): Promise<{ warmup: LoadResult; slices: LoadResult[]; numbersUsed: number }> {
  let offset = 0;
  const next = () => {
    const s = spec(offset);
    offset += ctx.gen.numbersUsed(s);
    return s;
  };
  const warmup = await ctx.gen.run(next());
  const results: LoadResult[] = [];
  for (let i = 0; i < slices; i++) {
    progress(label, i, slices);
    results.push(await ctx.gen.run(next()));
  }
  progress(label, slices, slices, `${Math.round(combine(results).okPerS)} ok/s`);
  return { warmup, slices: results, numbersUsed: offset };
}

/** One second of sendsms at 64 connections, each request to a number not used before. */
export const sendSpec = (port: number, passcode: string) => (offset: number): LoadSpec => ({
  url: url(port, 'sendsms'),
  connections: CONNECTIONS,
  durationS: 1,
  body: { kind: 'send', clientId: CLIENT_ID, passcode, templetId: TEMPLET_ID, numberOffset: offset },
});

/** Phase 1: the bare node:http ceiling, then smsgate, both at 64 connections for the same time. */
export async function throughputPhase(ctx: Context): Promise<void> {
  const slices = ctx.quick ? 3 : 10;
  const ceiling = await startHelper('ceiling-server.js');
  let ceilingRun;
  try {
    ceilingRun = await sliced(ctx, 'ceiling (bare node:http)', slices, sendSpec(ceiling.port, 'x'));
  } finally {
    await stopChild(ceiling.child);
  }

  const dbPath = join(ctx.tmp, 'throughput', 'smsgate.db');
  const passcode = await setupCatalog(dbPath);
  const gateway = await startGateway({ dbPath });
  try {
    await probeSend(gateway.port, passcode);
    const gatewayRun = await sliced(ctx, 'smsgate sendsms', slices, sendSpec(gateway.port, passcode));
    await sleep(500); // let the last answers' commits land, whatever wrk stopped waiting for
    const db = openReadOnly(dbPath);
    try {
      const all = [gatewayRun.warmup, ...gatewayRun.slices];
      const ok200 = all.reduce((s, r) => s + r.ok, 0);
      const stored = countMessages(db);
      // wrk stops each run with requests in flight: the gateway may commit up to one per
      // connection per run that wrk never counted. Fewer stored than answered is a lost message.
      const inFlightBound = all.length * CONNECTIONS + 1; // + the probe send
      const countOk = stored >= ok200 && stored - ok200 <= inFlightBound;
      const verifyCount = ctx.quick ? 1000 : 5000;
      const verify = await verifyCommitBefore200(gateway.port, passcode, db, verifyCount, CONNECTIONS, gatewayRun.numbersUsed);
      const verified = verify.missing === 0 && verify.ok === verifyCount;

      const c = combine(ceilingRun.slices);
      const g = combine(gatewayRun.slices);
      const ratio = c.okPerS > 0 ? g.okPerS / c.okPerS : undefined;
      ctx.series.push({ name: 'ceiling', slices: ceilingRun.slices }, { name: 'smsgate', slices: gatewayRun.slices });
      ctx.figures.push(
        { phase: 'sends @64 conns', figure: 'ceiling: bare node:http', value: c.okPerS, unit: '/s', note: `p50 ${c.p50.toFixed(2)} ms, p99 ${c.p99.toFixed(2)} ms` },
        { phase: 'sends @64 conns', figure: 'smsgate accepted sends', value: g.okPerS, unit: '/s', note: `${g.ok} answered 200 in ${g.durationS.toFixed(1)} s; non-200: ${g.requests - g.ok}, socket errors: ${g.socketErrors}` },
        { phase: 'sends @64 conns', figure: 'smsgate / ceiling', value: ratio === undefined ? undefined : ratio * 100, unit: '%', target: '>= 60%', met: ratio !== undefined && ratio >= 0.6 },
        { phase: 'sends @64 conns', figure: 'smsgate p50 latency', value: g.p50, unit: 'ms' },
        { phase: 'sends @64 conns', figure: 'smsgate p99 latency', value: g.p99, unit: 'ms', target: '<= 20 ms', met: g.p99 <= 20 },
        {
          phase: 'sends @64 conns',
          figure: 'every 200 committed first',
          value: verify.missing,
          unit: 'missing',
          target: '0 missing',
          met: verified && countOk,
          note: `${verify.ok}/${verifyCount} 200s looked up the instant they arrived, ${verify.missing} missing; rows stored ${stored} vs 200s counted by ${ctx.gen.name} ${ok200} (in flight at run ends <= ${inFlightBound})`,
        },
      );
      ctx.details.throughput = { ceiling: c, smsgate: g, ratio, stored, ok200, inFlightBound, verify };
      if (!countOk) note(`warning: ${stored} rows stored for ${ok200} answers counted`);
    } finally {
      db.close();
    }
  } finally {
    await gateway.stop();
  }
}
