import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, runJson, startServe, tempDir, type ServeProcess } from '../support/cli.js';
import { histogram, notFinal, numbered, sendBody, steadyLoad, type SendOutcome, type SteadyLoad } from '../support/steady-load.js';

/**
 * A full disk under the embedded gateway (SQLite and the simulator's journal on it), made real:
 * a small tmpfs, filled with a file while sends keep coming, then emptied. Mounting needs root
 * (CAP_SYS_ADMIN); without it the test is skipped with the reason. Needs `npm run build`.
 */
const FULL_MS = 3_000;
const temp = tempDir('smsgate-diskfull-');
const disk = join(temp.dir, 'disk');

function mountSmallDisk(): string | undefined {
  mkdirSync(disk);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', disk], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return `cannot mount a tmpfs (${String(error).split('\n')[0]}): a full disk needs root here`;
  }
}
const cannotMount = mountSmallDisk();
if (cannotMount) console.warn(`skipping the full-disk test: ${cannotMount}`);

/** Writes a file until the disk has no room left; answers its path. */
function fillDisk(): string {
  const filler = join(disk, 'filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return filler;
}

describe.skipIf(cannotMount !== undefined)('reliability: the disk under the embedded gateway fills up under a steady send load', () => {
  let server: ServeProcess | undefined;
  let load: SteadyLoad | undefined;
  let passcode = '';
  const db = join(disk, 'data', 'smsgate.db');

  beforeAll(async () => {
    requireBuild();
    ({ passcode } = await runJson(['client', 'add', 'load'], { SMSGATE_DB: db }));
    await runJson(['template', 'add', 't1', '--text', 'code ${code}'], { SMSGATE_DB: db });
  });
  afterAll(async () => {
    await load?.stop();
    await server?.stop('SIGKILL');
    // A server that did not start in time was killed but may still hold its files open for a
    // moment (EBUSY): the mount must not outlive the test.
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        execFileSync('umount', [disk], { stdio: 'pipe' });
        break;
      } catch (error) {
        if (!String((error as { stderr?: Buffer }).stderr ?? error).includes('busy')) break; // not mounted
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    temp.cleanup();
  });

  it('keeps running, answers 503 with Retry-After while full, logs the real error, recovers when space returns', async () => {
    // A claim or submit record that the full disk refused leaves its message leased: it is retried
    // once the lease runs out (docs/reliability.md), so the lease is short here.
    server = await startServe({ SMSGATE_DB: db, SMSGATE_PER_NUMBER_INTERVAL_S: '0', SMSGATE_LOG_LEVEL: 'warn', SMSGATE_CLAIM_LEASE_MS: '2000' });
    const serverUrl = server.url;
    load = steadyLoad(() => serverUrl, sendBody('load', passcode), numbered('1380013'));
    /** When an answer came, on the clock the fault is timed by. */
    const startedAt = load.startedAt;
    const at = (a: SendOutcome): number => startedAt + a.answeredAt;
    await new Promise((resolve) => setTimeout(resolve, 800));
    const filler = fillDisk();
    const fullFrom = Date.now();
    while (Date.now() - fullFrom < FULL_MS && server.child.exitCode === null) {
      fillDisk(); // whatever SQLite freed (a checkpoint), taken again
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    rmSync(filler, { force: true });
    const freedAt = Date.now();
    while (!load.outcomes.some((a) => at(a) > freedAt && a.status === 200) && Date.now() - freedAt < 10_000 && server.child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    await load.stop();
    const log = server.stderr();

    expect(server.child.exitCode, `the gateway died: ${log.slice(-3000)}`).toBeNull();
    const counts = histogram(load.outcomes);
    const during = load.outcomes.filter((a) => at(a) > fullFrom && at(a) <= freedAt);
    expect(during.filter((a) => a.status === 503).length, `no 503 while the disk was full: ${JSON.stringify(counts)}`).toBeGreaterThan(0);
    expect(load.outcomes.filter((a) => a.status !== 200 && (a.status !== 503 || a.retryAfter === null)).map((a) => [a.status, a.body])).toEqual([]);
    expect(log, 'the real error is in the log').toMatch(/SQLITE_FULL|database or disk is full|ENOSPC/);
    expect(load.outcomes.some((a) => at(a) > freedAt && a.status === 200), `no 200 within 10 s of space returning: ${log.slice(-2000)}`).toBe(true);

    const accepted = load.outcomes.flatMap((a) => (a.uid ? [a.uid] : []));
    const missing = await notFinal(server.url, 'load', passcode, accepted, 15_000);
    expect(Object.fromEntries([...missing].slice(0, 10)), `${missing.size} of ${accepted.length} accepted not final`).toEqual({});
    const recoveredMs = Math.min(...load.outcomes.filter((a) => at(a) > freedAt && a.status === 200).map((a) => at(a))) - freedAt;
    console.log(`full disk for ${FULL_MS} ms: answers ${JSON.stringify(counts)}; first 200 ${recoveredMs} ms after space returned; ${accepted.length} accepted, all final`);
  }, 60_000);
});
