import { join } from 'node:path';
import type { Context } from '../context.js';
import { openReadOnly } from '../db.js';
import { note, progress } from '../progress.js';
import { median } from '../report/stages.js';
import { type Gateway, probeSend, setupCatalog, sleep, startGateway } from '../proc.js';
import { processTicks, threadSamples, usPerTick } from '../threads.js';
import { sendSpec } from './throughput.js';
import { DLR_MS } from './e2e-run.js';

type Mode = 'on' | 'off';

/** One measured round on one gateway. */
interface Round {
  readonly mode: Mode;
  /** Messages created during the round (the rows, so also answers the generator stopped waiting for). */
  readonly messages: number;
  /** The gateway process (every thread: accept, commit, dispatch, built-in SMSC, GC), microseconds per message. */
  readonly processUs: number;
  /** Its main thread alone (the accept path), microseconds per message. */
  readonly mainUs: number;
  readonly okPerS: number;
}

interface Subject {
  readonly mode: Mode;
  readonly gateway: Gateway;
  readonly passcode: string;
  readonly dbPath: string;
  offset: number;
}

const mainTicks = (pid: number) => threadSamples(pid).find((t) => t.tid === pid)?.ticks ?? Number.NaN;

/**
 * Sends for `seconds` at 64 connections, then waits until every message created meanwhile is
 * final, so that the CPU read covers each message's whole life (its status changes are counted
 * too) and nothing of it spills into the other gateway's round.
 */
async function round(ctx: Context, s: Subject, seconds: number): Promise<Round> {
  const db = openReadOnly(s.dbPath);
  try {
    await sleep(5); // created_at is in ms
    const since = Date.now();
    const total0 = processTicks(s.gateway.pid) ?? Number.NaN;
    const main0 = mainTicks(s.gateway.pid);
    let ok = 0;
    let durationS = 0;
    for (let i = 0; i < seconds; i++) {
      const spec = sendSpec(s.gateway.port, s.passcode)(s.offset);
      s.offset += ctx.gen.numbersUsed(spec);
      const r = await ctx.gen.run(spec);
      ok += r.ok;
      durationS += r.durationS;
    }
    if (ok === 0) {
      await probeSend(s.gateway.port, s.passcode); // throws with the gateway's answer
      throw new Error(`metrics ${s.mode}: no send accepted`);
    }
    const count = db.prepare('SELECT count(*) AS n, count(done_at) AS final FROM messages WHERE created_at >= ?');
    const deadline = Date.now() + 120_000;
    let row = count.get(since) as { n: number; final: number };
    while (row.final < row.n && Date.now() < deadline) {
      await sleep(100);
      row = count.get(since) as { n: number; final: number };
    }
    if (row.final < row.n) note(`metrics ${s.mode}: gave up waiting: ${row.final} of ${row.n} final`);
    const processUs = (((processTicks(s.gateway.pid) ?? Number.NaN) - total0) * usPerTick) / row.n;
    const mainUs = ((mainTicks(s.gateway.pid) - main0) * usPerTick) / row.n;
    return { mode: s.mode, messages: row.n, processUs, mainUs, okPerS: ok / durationS };
  } finally {
    db.close();
  }
}

async function subject(ctx: Context, mode: Mode, half: number): Promise<Subject> {
  const dbPath = join(ctx.tmp, `metrics-${mode}-${half}`, 'smsgate.db');
  const passcode = await setupCatalog(dbPath);
  const gateway = await startGateway({ dbPath, env: { SMSGATE_METRICS: mode, SMSGATE_SIM_DLR_MS: String(DLR_MS) } });
  await probeSend(gateway.port, passcode);
  return { mode, gateway, passcode, dbPath, offset: 0 };
}

/** Which gateway starts first, in each half of the pairs. */
const START_ORDERS: readonly (readonly [Mode, Mode])[] = [
  ['on', 'off'],
  ['off', 'on'],
];

const pct = (x: number | undefined) => (x === undefined ? undefined : x * 100);
const us = (x: number | undefined) => (x === undefined ? 'n/a' : `${x.toFixed(1)} us`);

/**
 * What counting costs the send path: two embedded gateways side by side, one with
 * SMSGATE_METRICS=on (the default) and one off, driven in turns (on, off, off, on, on, off ...)
 * so that a machine whose load drifts slows both alike; half of the pairs with the metrics-on
 * gateway started first, half with fresh gateways started the other way. Each round sends at
 * 64 connections, waits until its messages are final, and reads the gateway's CPU from /proc:
 * the process (every thread) and its main thread (the accept path), per message. The figures
 * are medians over the rounds; the ratio is the median of each pair's on/off, the pairs being
 * adjacent in time.
 */
export async function metricsCostPhase(ctx: Context): Promise<void> {
  const pairs = ctx.quick ? 6 : 12;
  const seconds = 2;
  const rounds: Round[] = [];
  const pairRatios: { process: number; main: number; okPerS: number }[] = [];
  // In trials the gateway started first tended to come out dearer (an A/A run, both off: 108 %),
  // so each start order gets half of the pairs, on fresh gateways: on first, then off first.
  for (const [half, startOrder] of START_ORDERS.entries()) {
    const first = await subject(ctx, startOrder[0], half);
    const second = await subject(ctx, startOrder[1], half).catch(async (error: unknown) => {
      await first.gateway.stop();
      throw error;
    });
    const [on, off] = first.mode === 'on' ? [first, second] : [second, first];
    try {
      // Warm-up, both: the JIT compiles the hot path before anything is measured.
      for (const s of [on, off]) await round(ctx, s, ctx.quick ? 2 : 3);
      for (let i = half * (pairs / 2); i < (half + 1) * (pairs / 2); i++) {
        progress('sendsms, metrics on / off, interleaved', i, pairs);
        const order = i % 2 === 0 ? [on, off] : [off, on];
        const [a, b] = [await round(ctx, order[0]!, seconds), await round(ctx, order[1]!, seconds)];
        const [rOn, rOff] = a.mode === 'on' ? [a, b] : [b, a];
        rounds.push(a, b);
        pairRatios.push({ process: rOn.processUs / rOff.processUs, main: rOn.mainUs / rOff.mainUs, okPerS: rOn.okPerS / rOff.okPerS });
      }
    } finally {
      await Promise.all([on.gateway.stop(), off.gateway.stop()]);
    }
  }
  const med = (mode: Mode, pick: (r: Round) => number) => median(rounds.filter((r) => r.mode === mode).map(pick));
  const processRatio = median(pairRatios.map((p) => p.process));
  const mainRatio = median(pairRatios.map((p) => p.main));
  const okRatio = median(pairRatios.map((p) => p.okPerS));
  progress('sendsms, metrics on / off, interleaved', pairs, pairs, `on/off ${processRatio === undefined ? 'n/a' : (processRatio * 100).toFixed(1)} %`);
  const list = (pick: (p: (typeof pairRatios)[number]) => number) => pairRatios.map((p) => (pick(p) * 100).toFixed(1)).join(', ');
  const phase = 'metrics on/off';
  const perRound = `${seconds} s at 64 connections per round, then until final; medians of ${pairs} rounds each, interleaved`;
  ctx.figures.push(
    {
      phase,
      figure: 'sendsms CPU per message, metrics on',
      value: med('on', (r) => r.processUs),
      unit: 'us',
      note: `gateway process, all threads (built-in SMSC); main thread ${us(med('on', (r) => r.mainUs))}; ${Math.round(med('on', (r) => r.okPerS) ?? 0)} accepted/s; ${perRound}`,
    },
    {
      phase,
      figure: 'sendsms CPU per message, metrics off',
      value: med('off', (r) => r.processUs),
      unit: 'us',
      note: `main thread ${us(med('off', (r) => r.mainUs))}; ${Math.round(med('off', (r) => r.okPerS) ?? 0)} accepted/s`,
    },
    {
      phase,
      figure: 'CPU per message, on / off',
      value: pct(processRatio),
      unit: '%',
      target: '<= 103%',
      met: processRatio !== undefined && processRatio <= 1.03,
      note: `median of ${pairs} adjacent pairs (${list((p) => p.process)})`,
    },
    { phase, figure: 'main thread CPU per message, on / off', value: pct(mainRatio), unit: '%', note: `the accept path alone (${list((p) => p.main)})` },
    { phase, figure: 'accepted/s, on / off', value: pct(okRatio), unit: '%', note: `throughput, noisier: the load generator shares the cores (${list((p) => p.okPerS)})` },
  );
  ctx.details.metricsCost = { pairs, seconds, rounds, pairRatios, processRatio, mainRatio, okRatio };
}
