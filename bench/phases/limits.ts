import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import type { Context } from '../context.js';
import { combine } from '../load/quantiles.js';
import { CLI, CLIENT_ID, probeSend, setupCatalog, startGateway } from '../proc.js';
import { sendSpec, sliced } from './throughput.js';

const run = promisify(execFile);
const BLOCKLIST_SIZE = 100_000;
const NUMBER_WINDOWS = '1/60s,5/1h,10/24h';

/**
 * 100,000 blocked numbers the load never sends to (+86137...; the load's are +86138..., the probes +86139...) and a
 * prefix, written straight into the file: a CLI call each would take minutes.
 */
function fillBlocklist(dbPath: string): void {
  const db = new Database(dbPath);
  try {
    const insert = db.prepare(`INSERT INTO blocklist (client_id, entry, created_at) VALUES ('', ?, 0)`);
    db.transaction(() => {
      for (let i = 0; i < BLOCKLIST_SIZE; i++) insert.run(`+86137${String(i).padStart(8, '0')}`);
      insert.run('+88213');
      db.prepare(`UPDATE meta SET value = value + 1 WHERE key = 'blocklist_version'`).run();
    })();
  } finally {
    db.close();
  }
}

/** Accepted sends/s with the seed's rule alone, and with a full policy: the policy's cost. */
export async function limitsPhase(ctx: Context): Promise<void> {
  const slices = ctx.quick ? 3 : 10;
  const measure = async (label: string, dbPath: string, passcode: string, env: Record<string, string>) => {
    const gateway = await startGateway({ dbPath, env });
    try {
      await probeSend(gateway.port, passcode);
      return combine((await sliced(ctx, label, slices, sendSpec(gateway.port, passcode))).slices);
    } finally {
      await gateway.stop();
    }
  };

  const plainDb = join(ctx.tmp, 'limits-plain', 'smsgate.db');
  const plain = await measure('sendsms, seed rule (1/60s)', plainDb, await setupCatalog(plainDb), {});

  const policyDb = join(ctx.tmp, 'limits-policy', 'smsgate.db');
  const passcode = await setupCatalog(policyDb);
  // A rate and a cap far above what one process reaches: checked on every send, never binding.
  await run(process.execPath, [CLI, 'client', 'limits', CLIENT_ID, '--rate', '1000000/s', '--countries', 'CN,HK,SG', '--country-cap', '1000000/1h', '--json'], {
    env: { ...process.env, SMSGATE_DB: policyDb, SMSGATE_LOG_LEVEL: 'warn' },
  });
  fillBlocklist(policyDb);
  const policy = await measure('sendsms, full policy', policyDb, passcode, { SMSGATE_PER_NUMBER_LIMITS: NUMBER_WINDOWS });

  const ratio = plain.okPerS > 0 ? policy.okPerS / plain.okPerS : undefined;
  const phase = 'limits @64 conns';
  ctx.figures.push(
    { phase, figure: 'sendsms, seed rule (1/60s)', value: plain.okPerS, unit: '/s', note: `p99 ${plain.p99.toFixed(2)} ms` },
    {
      phase,
      figure: 'sendsms, full policy',
      value: policy.okPerS,
      unit: '/s',
      note: `${NUMBER_WINDOWS}, client rate, 3 countries, country cap, ${BLOCKLIST_SIZE.toLocaleString('en')}-entry blocklist; p99 ${policy.p99.toFixed(2)} ms; non-200: ${policy.requests - policy.ok}`,
    },
    { phase, figure: 'full policy / seed rule', value: ratio === undefined ? undefined : ratio * 100, unit: '%', target: '>= 90%', met: ratio !== undefined && ratio >= 0.9 },
  );
  ctx.details.limits = { plain, policy, ratio };
}
