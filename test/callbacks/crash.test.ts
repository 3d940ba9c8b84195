import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runJson, startServe, tempDir, type ServeProcess } from '../support/cli.js';
import { TestReceiver } from './receiver.js';
import { eventually, sendMany } from './send-many.js';

const tmp = tempDir('smsgate-callbacks-crash-');
const running: ServeProcess[] = [];
let receiver: TestReceiver | undefined;
afterAll(async () => {
  for (const server of running) await server.stop('SIGKILL');
  await receiver?.stop();
  tmp.cleanup();
});

/** Events owed in the outbox (neither dead nor acknowledged), read beside the running gateway. */
function owed(db: string): number {
  const sqlite = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (sqlite.prepare('SELECT count(*) AS n FROM callback_outbox WHERE dead_at IS NULL AND acknowledged_at IS NULL').get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

describe('callbacks across kill -9', () => {
  it('5,000 events owed while the receiver is down, kill -9, restart: every one arrives', async () => {
    const db = join(tmp.dir, 'crash.db');
    const env = {
      SMSGATE_DB: db,
      SMSGATE_PER_NUMBER_INTERVAL_S: '0',
      SMSGATE_SIM_DLR_MS: '20',
      SMSGATE_LOG_LEVEL: 'warn',
      SMSGATE_CALLBACK_ALLOW_PRIVATE: 'true',
      SMSGATE_CALLBACK_LINGER_MS: '20',
      // Short, so requests cut by the kill free their events soon after the restart (lease: this + 5 s).
      SMSGATE_CALLBACK_TIMEOUT_MS: '2000',
    };
    const port = await freePort(); // the receiver's, down for now
    const { passcode } = await runJson(['client', 'add', 'crash'], env);
    await runJson(['template', 'add', 't1', '--text', 'code ${code}'], env);
    const set = await runJson(['client', 'callback', 'crash', '--url', `http://127.0.0.1:${port}/hook`, '--events', 'final'], env);

    const first = await startServe(env);
    running.push(first);
    const t0 = Date.now();
    const uids = await sendMany(first.url, 'crash', passcode, 5_000, '1380013');
    await eventually(() => owed(db) === 5_000, 60_000, 'all 5,000 events owed', () => `(${owed(db)} owed)`);
    const owedAfterMs = Date.now() - t0;
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    receiver = await new TestReceiver().start(port);
    receiver.secretFor('crash', set.callback_secret);
    const second = await startServe(env);
    running.push(second);
    // The events failed (connection refused) the whole time the sends took: the last of them may
    // wait out a backoff of a minute or two on a loaded host (a ceiling of 2^tries seconds).
    await eventually(() => receiver!.unique().size >= 5_000, 240_000, 'all 5,000 events received after the restart', () => `(${receiver!.unique().size}); ${second.stderr().slice(-1500)}`);

    const receivedAfterMs = Date.now() - t0;
    const duplicates = receiver.duplicates();
    console.log(`kill -9 with 5,000 events owed (after ${owedAfterMs} ms), all received ${receivedAfterMs} ms after the start: ${receiver.accepted.length} received, ${receiver.unique().size} distinct, ${duplicates.size} duplicated${duplicates.size > 0 ? `: ${JSON.stringify(Object.fromEntries(duplicates))}` : ''}`);
    expect(receiver.badSignatures).toBe(0);
    expect(new Set(receiver.unique().keys())).toEqual(new Set(uids.map((uid) => `${uid}.2`)));
    await eventually(() => owed(db) === 0, 10_000, 'the outbox empty');
  }, 420_000);
});
