import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/carrier/simulator/simulator.js';
import { runJson, tempDir } from '../support/cli.js';
import { describeIfService, postgresAvailable, redisAvailable } from '../support/services.js';
import { Fleet, type Member } from '../scaleout/fleet.js';
import { openSharedServices, type SharedServices } from '../scaleout/shared-services.js';
import { TestReceiver } from './receiver.js';
import { eventually, sendMany } from './send-many.js';

/**
 * Callbacks over PostgreSQL with real processes: one API process and two dispatchers sharing the
 * outbox (SKIP LOCKED claims under a lease), a real receiver. Needs `npm run build`.
 */
const CLIENT = 'pgcallbacks';
const MESSAGES = 2_000;
const [postgres, redis] = [await postgresAvailable(), await redisAvailable()];

describeIfService(postgres.available ? redis : postgres, 'callbacks over PostgreSQL with 2 dispatchers', () => {
  const temp = tempDir('smsgate-callbacks-pg-');
  const receiver = new TestReceiver();
  let services: SharedServices;
  let simulator: RunningSimulator;
  let fleet: Fleet;
  let api: Member;

  beforeAll(async () => {
    services = await openSharedServices('callbacks', CLIENT);
    await receiver.start();
    const set = await runJson(['client', 'callback', CLIENT, '--url', receiver.url], { ...services.env, SMSGATE_CALLBACK_ALLOW_PRIVATE: 'true' });
    receiver.secretFor(CLIENT, set.callback_secret);
    simulator = await startSimulator({ port: 0, dlrDelayMs: 20 });
    const carriers = join(temp.dir, 'carriers.json');
    writeFileSync(carriers, JSON.stringify({ connections: [{ name: 'sim', host: '127.0.0.1', port: simulator.port, system_id: 'smsgate', password: 'smsgate', binds: 2, window: 50 }] }));
    fleet = new Fleet({
      ...services.env,
      SMSGATE_CARRIERS: carriers,
      SMSGATE_LOG_LEVEL: 'warn',
      SMSGATE_PER_NUMBER_INTERVAL_S: '0',
      SMSGATE_CALLBACK_ALLOW_PRIVATE: 'true',
      SMSGATE_CALLBACK_LINGER_MS: '20',
    });
    fleet.dispatcher();
    fleet.dispatcher();
    api = await fleet.api();
  }, 60_000);

  afterAll(async () => {
    await fleet?.killAll();
    await receiver.stop();
    await simulator?.close();
    await services?.close();
    temp.cleanup();
  }, 30_000);

  it(`every status change of ${MESSAGES} messages arrives once per event_id, signed, in sequence order`, async () => {
    const uids = await sendMany(api.url!, CLIENT, services.passcode, MESSAGES, '1380013');
    await eventually(() => receiver.unique().size >= 2 * MESSAGES, 120_000, `all ${2 * MESSAGES} events`, () => `(${receiver.unique().size})`);
    expect(receiver.badSignatures).toBe(0);
    const unique = receiver.unique();
    expect(new Set(unique.keys())).toEqual(new Set(uids.flatMap((uid) => [`${uid}.1`, `${uid}.2`])));
    for (const uid of uids) {
      expect([unique.get(`${uid}.1`)!.status, unique.get(`${uid}.2`)!.status]).toEqual(['sent', 'delivered']);
      expect(unique.get(`${uid}.1`)!.sequence).toBe(1);
      expect(unique.get(`${uid}.2`)!.sequence).toBe(2);
    }
    const duplicates = receiver.duplicates();
    console.log(`PostgreSQL, 2 dispatchers: ${receiver.accepted.length} events received, ${unique.size} distinct, ${duplicates.size} duplicated`);
    // At least once: a duplicate is allowed (an answer later than the timeout on a loaded host), and shown.
    if (duplicates.size > 0) console.log(`duplicates (event_id -> times): ${JSON.stringify(Object.fromEntries(duplicates))}`);
    // Every event acknowledged once, and kept (delivered) for the message view.
    const { rows } = await services.db.query<{ owed: string; delivered: string }>(
      'SELECT count(*) FILTER (WHERE acknowledged_at IS NULL) AS owed, count(*) FILTER (WHERE acknowledged_at IS NOT NULL) AS delivered FROM callback_outbox',
    );
    expect(Number(rows[0]!.owed)).toBe(0);
    expect(Number(rows[0]!.delivered)).toBe(unique.size);
  }, 180_000);
});
