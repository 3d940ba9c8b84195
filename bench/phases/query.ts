import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from '../context.js';
import { url } from '../context.js';
import { openReadOnly } from '../db.js';
import { percentileOf } from '../load/quantiles.js';
import type { LoadResult } from '../load/types.js';
import { progress } from '../progress.js';
import { CLIENT_ID, TEMPLET_ID, setupCatalog, sleep, startGateway, probeSend } from '../proc.js';

/** Pacing: each connection waits `delay` ms after an answer; connections x 1000 / (delay + latency). */
const SEND_PACE = { connections: 100, delayMs: 9 }; // ~10,000/s at ~1 ms latency
const QUERY_PACE = { connections: 10, delayMs: 9 }; // ~1,000/s

/** Phase 3: querysms latency at ~1,000/s while sends run at ~10,000/s, both paced. */
export async function queryPhase(ctx: Context): Promise<void> {
  const durationS = ctx.quick ? 4 : 10;
  const dbPath = join(ctx.tmp, 'query', 'smsgate.db');
  const passcode = await setupCatalog(dbPath);
  // Queries are limited to SMSGATE_QUERY_RATE (1,000/s by default); paced bursts just over it
  // would measure 429s, not lookups.
  const gateway = await startGateway({ dbPath, env: { SMSGATE_QUERY_RATE: '5000' } });
  try {
    await probeSend(gateway.port, passcode);
    const send = (offset: number, seconds: number, paced: boolean) => ({
      url: url(gateway.port, 'sendsms'),
      durationS: seconds,
      ...(paced ? SEND_PACE : { connections: 64 }),
      body: { kind: 'send' as const, clientId: CLIENT_ID, passcode, templetId: TEMPLET_ID, numberOffset: offset },
    });
    const seed = send(0, 1, false);
    await ctx.gen.run(seed); // messages to ask about
    const db = openReadOnly(dbPath);
    const uids = (db.prepare('SELECT sms_uid FROM messages WHERE client_id = ? LIMIT 20000').all(CLIENT_ID) as { sms_uid: string }[]).map((r) => r.sms_uid);
    db.close();
    const uidsFile = join(ctx.tmp, 'query-uids.txt');
    writeFileSync(uidsFile, uids.join('\n') + '\n');

    const background = send(ctx.gen.numbersUsed(seed), durationS + 2, true);
    const started = Date.now();
    const ticker = setInterval(() => progress('querysms under send load', (Date.now() - started) / 1000, durationS + 2), 500);
    let sends: LoadResult;
    let queries: LoadResult;
    try {
      [sends, queries] = await Promise.all([
        ctx.gen.run(background),
        sleep(1000).then(() =>
          ctx.gen.run({ url: url(gateway.port, 'querysms'), durationS, ...QUERY_PACE, body: { kind: 'query', clientId: CLIENT_ID, passcode, uidsFile } }),
        ),
      ]);
    } finally {
      clearInterval(ticker);
    }
    progress('querysms under send load', 1, 1);
    const p99 = percentileOf(queries, 99);
    const queryRate = queries.requests / queries.durationS;
    const sendRate = sends.ok / sends.durationS;
    ctx.figures.push(
      { phase: 'querysms', figure: 'querysms p99', value: p99, unit: 'ms', target: '<= 5 ms', met: p99 <= 5 && queries.ok === queries.requests && queries.socketErrors === 0, note: `p50 ${percentileOf(queries, 50).toFixed(2)} ms; ${queries.requests - queries.ok} non-200` },
      { phase: 'querysms', figure: 'queries/s achieved', value: queryRate, unit: '/s', target: '~1,000/s', met: queryRate >= 900 },
      { phase: 'querysms', figure: 'background sends/s achieved', value: sendRate, unit: '/s', target: '~10,000/s', met: sendRate >= 9000, note: `send p99 ${percentileOf(sends, 99).toFixed(2)} ms; ${sends.requests - sends.ok} non-200` },
    );
    ctx.details.query = { queries, sends, p99, queryRate, sendRate, uids: uids.length };
  } finally {
    await gateway.stop();
  }
}
