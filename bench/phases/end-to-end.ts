import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Context } from '../context.js';
import { url } from '../context.js';
import { openReadOnly } from '../db.js';
import { note, progress } from '../progress.js';
import { CLIENT_ID, ROOT, TEMPLET_ID, setupCatalog, sleep, startGateway, startHelper, stopChild, probeSend } from '../proc.js';

const DLR_MS = 20;

/** Whether the built gateway wires an SMPP carrier at all (else it uses the in-process stand-in). */
function gatewayHasSmpp(): boolean {
  try {
    return /smpp/i.test(readFileSync(join(ROOT, 'dist/compose/carrier-part.js'), 'utf8'));
  } catch {
    return false;
  }
}

function simStats(child: ChildProcess): Promise<{ submits: number; maxOutstanding: number }> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ submits: -1, maxOutstanding: -1 }), 2000);
    child.once('message', (m) => (clearTimeout(timer), resolve(m as { submits: number; maxOutstanding: number })));
    child.send('stats');
  });
}

/**
 * Phase 2: N sends as fast as they are accepted, then wait until every one is `delivered`
 * (through SMPP to the simulator when the gateway has it). delivered/s = delivered over the time
 * from the first accept to the last delivery, read from the rows' created_at and done_at.
 */
export async function endToEndPhase(ctx: Context): Promise<void> {
  const target = ctx.quick ? 10_000 : 100_000;
  const dbPath = join(ctx.tmp, 'e2e', 'smsgate.db');
  const passcode = await setupCatalog(dbPath);
  const smpp = gatewayHasSmpp();
  const env: Record<string, string> = { SMSGATE_SIM_DLR_MS: String(DLR_MS) };
  let sim: { port: number; child: ChildProcess } | undefined;
  if (smpp) {
    sim = await startHelper('sim-server.js', [], { BENCH_SIM_DLR_MS: String(DLR_MS) });
    const carriers = join(ctx.tmp, 'carriers.json');
    writeFileSync(carriers, JSON.stringify({
      connections: [{ name: 'bench-sim', host: '127.0.0.1', port: sim.port, system_id: 'smsgate', password: 'smsgate', window: 5000, max_submits_per_second: 0 }],
    }));
    env.SMSGATE_CARRIERS = carriers;
  } else {
    note('end-to-end: this build has no SMPP carrier wired (dist/compose/carrier-part.js); measuring the in-process carrier');
  }
  const gateway = await startGateway({ dbPath, env });
  const db = openReadOnly(dbPath);
  try {
    await probeSend(gateway.port, passcode);
    let accepted = 0;
    let offset = 0;
    while (accepted < target) {
      progress('end-to-end: sending', accepted, target);
      const spec = { url: url(gateway.port, 'sendsms'), connections: 64, durationS: 1, body: { kind: 'send' as const, clientId: CLIENT_ID, passcode, templetId: TEMPLET_ID, numberOffset: offset } };
      offset += ctx.gen.numbersUsed(spec);
      const r = await ctx.gen.run(spec);
      accepted += r.ok;
      if (r.ok === 0) {
        await probeSend(gateway.port, passcode); // throws with the gateway's answer
        throw new Error(`no send accepted (${r.requests} answers, ${r.socketErrors} socket errors)`);
      }
    }
    progress('end-to-end: sending', target, target);
    await sleep(300);
    const total = (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
    const countFinal = db.prepare(`SELECT count(*) AS n FROM messages WHERE done_at IS NOT NULL`);
    const deadline = Date.now() + 120_000 + total;
    let final = 0;
    while (Date.now() < deadline) {
      final = (countFinal.get() as { n: number }).n;
      progress('end-to-end: delivering', final, total);
      if (final >= total) break;
      await sleep(250);
    }
    if (final < total) note(`end-to-end: gave up waiting: ${final} of ${total} final`);
    const row = db.prepare(
      `SELECT min(created_at) AS first, max(created_at) AS lastAccept, max(done_at) AS last, count(*) AS n FROM messages WHERE status = 'delivered'`,
    ).get() as { first: number; lastAccept: number; last: number; n: number };
    const byStatus = db.prepare('SELECT status, count(*) AS n FROM messages GROUP BY status').all();
    const spanS = (row.last - row.first) / 1000;
    const perS = spanS > 0 ? row.n / spanS : undefined;
    const stats = sim ? await simStats(sim.child) : undefined;
    const carrier = !smpp ? 'in-process stand-in' : stats && stats.submits > 0 ? 'smpp -> simulator' : 'smpp configured, but the simulator saw no submit';
    ctx.figures.push({
      phase: 'end-to-end',
      figure: `delivered/s (${carrier})`,
      value: perS,
      unit: '/s',
      target: '>= 10,000/s',
      met: perS !== undefined && perS >= 10_000 && row.n === total,
      note: `${row.n} of ${total} delivered in ${spanS.toFixed(1)} s from first accept to last delivery (accepting took ${((row.lastAccept - row.first) / 1000).toFixed(1)} s); DLR delay ${DLR_MS} ms${stats ? `; simulator (own process) saw ${stats.submits} submits` : ''}`,
    });
    ctx.details.endToEnd = { carrier, total, acceptS: (row.lastAccept - row.first) / 1000, delivered: row.n, spanS, perS, byStatus, simulator: stats, dlrMs: DLR_MS };
  } finally {
    db.close();
    await gateway.stop();
    if (sim) await stopChild(sim.child);
  }
}
