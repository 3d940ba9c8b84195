import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generatePasscode, hashPasscode } from '../../src/domain/passcode.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { freePort, tempDir } from '../support/cli.js';
import { POSTGRES_TEST_URL, REDIS_TEST_URL, describeIfService, postgresAvailable, redisAvailable } from '../support/services.js';
import { withSchema } from '../store/postgres-schema.js';
import { Fleet, waitFor, type Member } from '../scaleout/fleet.js';
import { duplicateSubmits, histogram, startSimulatorProcess, steadyLoad, submitCount, type SendOutcome, type SimulatorProcess } from './steady-load.js';

/**
 * Attack 5 in scale-out: two API processes and two dispatchers on PostgreSQL and Redis, an SMSC
 * (`smsgate simulator`) of its own that outlives every kill and logs every submit_sm. Under a
 * steady sendsms load spread over both API processes, one API process and one dispatcher are
 * killed with SIGKILL and started again, KILLS times. Needs `npm run build` (npm test does it).
 */
const KILLS = 3;
const LEASE_MS = 2_000;
const BINDS = 2;
const WINDOW = 20;
const CLIENT = 'crash';
const ROUND_MS = 2_000;

const [postgres, redis] = [await postgresAvailable(), await redisAvailable()];

interface Kill {
  /** The killed dispatcher's claimed messages not yet recorded as sent (as the SMSC sees them). */
  readonly inFlight: Set<string>;
}

describeIfService(postgres.available ? redis : postgres, `scale-out kill -9 of an API process and a dispatcher, ${KILLS} times under load`, () => {
  const schema = `smsgate_rel_crash_${randomUUID().replaceAll('-', '')}`;
  const prefix = `test:rel-crash:${randomUUID()}:`;
  const temp = tempDir('smsgate-scaleout-crash-');
  let simulator: SimulatorProcess;
  let db: pg.Client;
  let kv: Redis;
  let fleet: Fleet;
  const outcomes: SendOutcome[] = [];
  const kills: Kill[] = [];

  beforeAll(async () => {
    const url = await withSchema(POSTGRES_TEST_URL, schema);
    const store = await PostgresStore.open(url, { maxConnections: 2 });
    const passcode = generatePasscode();
    await store.addClient(CLIENT, hashPasscode(CLIENT, passcode), Date.now());
    await store.addTemplate({ templetId: 't1', body: 'code ${code}', clientId: null });
    await store.close();
    db = new pg.Client({ connectionString: url });
    await db.connect();
    kv = new Redis(REDIS_TEST_URL);

    const simPort = await freePort();
    simulator = await startSimulatorProcess(simPort, join(temp.dir, 'receipts.db'));
    const carriers = join(temp.dir, 'carriers.json');
    const connection = {
      name: 'sim', host: '127.0.0.1', port: simPort, system_id: 'smsgate', password: 'smsgate',
      binds: BINDS, window: WINDOW, reconnect_initial_ms: 200, reconnect_max_ms: 1_000,
    };
    writeFileSync(carriers, JSON.stringify({ connections: [connection] }));
    fleet = new Fleet({
      SMSGATE_DATABASE_URL: url,
      SMSGATE_REDIS_URL: REDIS_TEST_URL,
      SMSGATE_REDIS_PREFIX: prefix,
      SMSGATE_CARRIERS: carriers,
      SMSGATE_CLAIM_LEASE_MS: String(LEASE_MS),
      SMSGATE_LOG_LEVEL: 'warn',
    });
    const dispatchers: Member[] = [fleet.dispatcher(), fleet.dispatcher()];
    const apis: Member[] = await Promise.all([fleet.api(), fleet.api()]);

    // The load goes round the API processes alive at the moment.
    let turn = 0;
    const live = (): string => {
      const up = apis.filter((api) => api.child.exitCode === null && api.child.signalCode === null);
      return up[turn++ % up.length]!.url!;
    };
    const body = (phone: string) => ({ client_id: CLIENT, passcode, phone_number: phone, templet_id: 't1', contents: [{ p1: '1' }] });
    const load = steadyLoad(live, body, (i) => `1380019${String(i % 10_000).padStart(4, '0')}`, 8);

    for (let round = 0; round < KILLS; round++) {
      await new Promise((r) => setTimeout(r, ROUND_MS));
      const api = apis[round % 2]!;
      const dispatcher = dispatchers[round % 2]!;
      api.child.kill('SIGKILL');
      dispatcher.child.kill('SIGKILL');
      await Promise.all([api.exited, dispatcher.exited]);
      const { rows } = await db.query<{ phone_number: string }>(
        `SELECT phone_number FROM messages WHERE lease_owner = $1 AND status = 'queuing'`,
        [`${hostname()}:${dispatcher.child.pid}`],
      );
      kills.push({ inFlight: new Set(rows.map((r) => r.phone_number.slice(1))) });
      dispatchers[round % 2] = fleet.dispatcher();
      // Under a loaded host a fresh process takes several seconds of waiting for CPU to start.
      apis[round % 2] = await fleet.api({}, 40_000);
    }
    await new Promise((r) => setTimeout(r, ROUND_MS));
    await load.stop();
    outcomes.push(...load.outcomes);
  }, 120_000); // about 20 s on an idle host; a loaded one starts each process several times slower

  afterAll(async () => {
    await fleet?.killAll();
    await simulator?.stop('SIGKILL');
    await db?.end();
    if (kv) {
      const keys = await kv.keys(`${prefix}*`);
      if (keys.length > 0) await kv.del(...keys);
      kv.disconnect();
    }
    const admin = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    temp.cleanup();
  }, 20_000);

  const accepted = (): string[] => outcomes.filter((o) => o.status === 200).map((o) => o.uid!);

  it('loses none of the 200s: every one reaches delivered', async () => {
    expect(accepted().length).toBeGreaterThan(200);
    // Requests were in flight at the API kills: those failed on the client and are not owed.
    expect(outcomes.filter((o) => o.status === 0).length).toBeGreaterThan(0);
    const delivered = async (): Promise<number> => {
      const { rows } = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM messages WHERE sms_uid = ANY($1::uuid[]) AND status = 'delivered'`,
        [accepted()],
      );
      return Number(rows[0]!.n);
    };
    const ms = await waitFor(async () => (await delivered()) === accepted().length, 15_000, 'every accepted message delivered').catch(async (error: unknown) => {
      throw new Error(`${String(error)}: ${await delivered()} of ${accepted().length}; ${JSON.stringify(histogram(outcomes))}`);
    });
    console.info(`[scale-out crash] ${JSON.stringify(histogram(outcomes))} over ${outcomes.length} sends; all ${accepted().length} accepted delivered ${ms} ms after the load stopped`);
  }, 20_000);

  it('submits twice only what a killed dispatcher had in flight, at most its window per kill', () => {
    const log = simulator.log();
    const duplicates = duplicateSubmits([log]);
    const inFlight = kills.map((k) => k.inFlight.size);
    const extra = [...duplicates.values()].reduce((sum, n) => sum + n - 1, 0);
    console.info(
      `[scale-out crash] ${KILLS} kills of an API process and a dispatcher: ${submitCount(log)} submits seen, ` +
        `claimed and not recorded as sent at each dispatcher kill ${JSON.stringify(inFlight)}, ${duplicates.size} numbers submitted twice (${extra} extra submits)`,
    );
    // Every accepted message reached the SMSC (else the counts here would prove nothing).
    expect(submitCount(log) - extra).toBeGreaterThanOrEqual(accepted().length);
    const unexplained = [...duplicates.keys()].filter((d) => !kills.some((k) => k.inFlight.has(d)));
    expect(unexplained).toEqual([]);
    expect([...duplicates.values()].every((n) => n === 2)).toBe(true);
    // Per kill, no more than one dispatcher's in-flight window: all binds' windows.
    for (const kill of kills) {
      expect([...duplicates.keys()].filter((d) => kill.inFlight.has(d)).length).toBeLessThanOrEqual(BINDS * WINDOW);
    }
  });
});
