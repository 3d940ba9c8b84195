import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Context } from '../context.js';
import { url } from '../context.js';
import { openReadOnly } from '../db.js';
import { note, progress } from '../progress.js';
import { CLIENT_ID, TEMPLET_ID, probeSend, setupCatalog, sleep, startGateway, startHelper, stopChild } from '../proc.js';
import { classifyThreads, cpuByRole, processTicks, snapshot, usPerTick, type RoleCpu } from '../threads.js';

export const DLR_MS = 20;

/** Where the SMSC runs: a process of its own (as a real SMSC), or the built-in simulator in the dispatch thread. */
export type SmscPlacement = 'own process' | 'built-in';

export interface EndToEndRun {
  readonly smsc: SmscPlacement;
  /** Messages created in the measured window (every send accepted after the warm-up). */
  readonly total: number;
  readonly delivered: number;
  readonly spanS: number;
  readonly acceptS: number;
  readonly perS: number | undefined;
  /** Gateway CPU microseconds per message, by thread role, over the whole run. */
  readonly cpuPerMessage: RoleCpu;
  /** The SMSC process's CPU microseconds per message (own process only). */
  readonly smscUsPerMessage?: number;
  readonly byStatus: unknown;
  readonly threadWarning?: string;
}

function simSubmits(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(-1), 2000);
    child.once('message', (m) => (clearTimeout(timer), resolve((m as { submits: number }).submits)));
    child.send('stats');
  });
}

/**
 * One end-to-end run on a fresh gateway: a warm-up, then `target` sends as fast as they are
 * accepted (64 connections), then wait until every one is final. The gateway's threads are told
 * apart while it is idle after the warm-up, and their CPU is read before the first measured send
 * and after the last final status; only the messages created in between count.
 */
export async function endToEndRun(ctx: Context, smsc: SmscPlacement, target: number, label: string): Promise<EndToEndRun> {
  const dir = join(ctx.tmp, `e2e-${label}`);
  const dbPath = join(dir, 'smsgate.db');
  const passcode = await setupCatalog(dbPath);
  const env: Record<string, string> = { SMSGATE_SIM_DLR_MS: String(DLR_MS) };
  let sim: { port: number; child: ChildProcess } | undefined;
  if (smsc === 'own process') {
    sim = await startHelper('sim-server.js', [], { BENCH_SIM_DLR_MS: String(DLR_MS) });
    const carriers = join(dir, 'carriers.json');
    writeFileSync(carriers, JSON.stringify({
      connections: [{ name: 'bench-sim', host: '127.0.0.1', port: sim.port, system_id: 'smsgate', password: 'smsgate', window: 5000, max_submits_per_second: 0 }],
    }));
    env.SMSGATE_CARRIERS = carriers;
  }
  const gateway = await startGateway({ dbPath, env });
  const db = openReadOnly(dbPath);
  let offset = 0;
  /** Sends at 64 connections, 1 s at a time, until `count` were accepted. */
  const send = async (count: number, what: string): Promise<void> => {
    let accepted = 0;
    while (accepted < count) {
      progress(`end-to-end (${label}): ${what}`, accepted, count);
      const spec = { url: url(gateway.port, 'sendsms'), connections: 64, durationS: 1, body: { kind: 'send' as const, clientId: CLIENT_ID, passcode, templetId: TEMPLET_ID, numberOffset: offset } };
      offset += ctx.gen.numbersUsed(spec);
      const r = await ctx.gen.run(spec);
      accepted += r.ok;
      if (r.ok === 0) {
        await probeSend(gateway.port, passcode); // throws with the gateway's answer
        throw new Error(`no send accepted (${r.requests} answers, ${r.socketErrors} socket errors)`);
      }
    }
    progress(`end-to-end (${label}): ${what}`, count, count);
  };
  /** Waits until every message created since `since` is final; returns how many there are and how many are. */
  const settle = async (since: number, what: string): Promise<{ total: number; final: number }> => {
    const count = db.prepare('SELECT count(*) AS n FROM messages WHERE created_at >= ?');
    const countFinal = db.prepare('SELECT count(*) AS n FROM messages WHERE created_at >= ? AND done_at IS NOT NULL');
    await sleep(300);
    const total = (count.get(since) as { n: number }).n;
    const deadline = Date.now() + 120_000 + total;
    let final = 0;
    while (Date.now() < deadline) {
      final = (countFinal.get(since) as { n: number }).n;
      progress(`end-to-end (${label}): ${what}`, final, total);
      if (final >= total) break;
      await sleep(100);
    }
    return { total, final };
  };
  try {
    await probeSend(gateway.port, passcode);
    // Warm-up: the JIT compiles the hot path (on V8's helper threads) before the measurement.
    await send(ctx.quick ? 1_000 : 3_000, 'warm-up');
    await settle(0, 'warm-up delivering');
    const { roles, warning } = await classifyThreads(gateway.pid);
    if (warning) note(`end-to-end: ${warning}`);
    await sleep(5); // created_at is in ms: no warm-up row shares the first measured millisecond
    const since = Date.now();
    const before = snapshot(gateway.pid);
    const simBefore = sim ? processTicks(sim.child.pid!) : undefined;
    await send(target, 'sending');
    const { total, final } = await settle(since, 'delivering');
    const after = snapshot(gateway.pid);
    const simAfter = sim ? processTicks(sim.child.pid!) : undefined;
    if (final < total) note(`end-to-end: gave up waiting: ${final} of ${total} final`);
    const row = db.prepare(
      `SELECT min(created_at) AS first, max(created_at) AS lastAccept, max(done_at) AS last, count(*) AS n FROM messages WHERE status = 'delivered' AND created_at >= ?`,
    ).get(since) as { first: number; lastAccept: number; last: number; n: number };
    const byStatus = db.prepare('SELECT status, count(*) AS n FROM messages WHERE created_at >= ? GROUP BY status').all(since);
    const spanS = (row.last - row.first) / 1000;
    const cpu = cpuByRole(before, after, roles);
    const cpuPerMessage = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, v / total])) as RoleCpu;
    const submits = sim ? await simSubmits(sim.child) : undefined;
    if (sim && submits === 0) throw new Error('the simulator in its own process saw no submit_sm');
    return {
      smsc,
      total,
      delivered: row.n,
      spanS,
      acceptS: (row.lastAccept - row.first) / 1000,
      perS: spanS > 0 ? row.n / spanS : undefined,
      cpuPerMessage,
      smscUsPerMessage: simBefore !== undefined && simAfter !== undefined ? ((simAfter - simBefore) * usPerTick) / total : undefined,
      byStatus,
      threadWarning: warning,
    };
  } finally {
    db.close();
    await gateway.stop();
    if (sim) await stopChild(sim.child);
  }
}
