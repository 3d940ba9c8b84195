import type { Context } from '../context.js';
import { url } from '../context.js';
import { startHelper, stopChild } from '../proc.js';
import { processTicks, threadSamples, usPerTick } from '../threads.js';

export interface CeilingCpu {
  /** c: the bare node:http server's CPU per request, all its threads, microseconds. */
  readonly usPerRequest: number;
  /** Its main thread alone. */
  readonly mainUsPerRequest: number;
  readonly perS: number;
}

const mainTicks = (pid: number) => threadSamples(pid).find((t) => t.tid === pid)?.ticks ?? 0;

/**
 * c, the unit of the stage table: the ceiling server (bench/ceiling-server.ts: node:http,
 * JSON.parse of the sendsms body, a JSON answer, nothing stored) under sends at 64 connections,
 * its process CPU over the requests it answered. Measured next to the gateway in the same run,
 * so that a busy machine slows both alike.
 */
export async function measureCeilingCpu(ctx: Context): Promise<CeilingCpu> {
  const ceiling = await startHelper('ceiling-server.js');
  const pid = ceiling.child.pid!;
  try {
    const spec = (durationS: number) => ({ url: url(ceiling.port, 'sendsms'), connections: 64, durationS, body: { kind: 'send' as const, clientId: 'c', passcode: 'x', templetId: 't', numberOffset: 0 } });
    await ctx.gen.run(spec(2)); // warm-up: the JIT's background compiles would otherwise count
    const total0 = processTicks(pid) ?? Number.NaN; // NaN without /proc: the table says n/a
    const main0 = mainTicks(pid);
    const r = await ctx.gen.run(spec(ctx.quick ? 3 : 5));
    const total = ((processTicks(pid) ?? Number.NaN) - total0) * usPerTick;
    const main = (mainTicks(pid) - main0) * usPerTick;
    if (r.ok === 0) throw new Error('the ceiling server answered no request');
    return { usPerRequest: total / r.ok, mainUsPerRequest: main / r.ok, perS: r.ok / r.durationS };
  } finally {
    await stopChild(ceiling.child);
  }
}
