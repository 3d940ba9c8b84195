import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generatePasscode, hashPasscode } from '../../src/domain/passcode.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { startServe, tempDir, type ServeProcess } from '../support/cli.js';
import { POSTGRES_TEST_URL, describeIfService, postgresAvailable } from '../support/services.js';
import { withSchema } from '../store/postgres-schema.js';
import { histogram, notFinal, numbered, sendBody, steadyLoad, type SendOutcome, type SteadyLoad } from '../support/steady-load.js';

/**
 * PostgreSQL going away under load, as a restart does to a gateway: every backend of this
 * gateway is terminated again and again for a while (only ours, found by application_name, since
 * other tests share the cluster). Needs `npm run build`.
 */
const FAULT_MS = 3_000;
const KILL_EVERY_MS = 100;
const LEASE_MS = 3_000;

const postgres = await postgresAvailable();

describeIfService(postgres, 'reliability: PostgreSQL connections killed under a steady send load', () => {
  const schema = `smsgate_pgfault_${randomUUID().replaceAll('-', '')}`;
  const appName = `smsgate_pgfault_${randomUUID().slice(0, 8)}`;
  const temp = tempDir('smsgate-pgfault-');
  const passcode = generatePasscode();
  let admin: pg.Client;

  beforeAll(async () => {
    const schemaUrl = new URL(await withSchema(POSTGRES_TEST_URL, schema));
    const store = await PostgresStore.open(schemaUrl.toString(), { maxConnections: 2 });
    await store.addClient('load', hashPasscode('load', passcode), Date.now());
    await store.addTemplate({ templetId: 't1', body: 'code ${code}', clientId: null });
    await store.close();
    admin = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await admin.end();
    temp.cleanup();
  });

  async function killOurBackends(): Promise<number> {
    const result = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [appName]);
    return result.rowCount ?? 0;
  }

  for (const dispatchThread of ['on', 'off']) {
    it(`survives, answers 503 with Retry-After while it lasts, recovers, loses nothing (dispatch thread ${dispatchThread})`, async () => {
      const url = new URL(POSTGRES_TEST_URL);
      url.searchParams.set('options', `-c search_path=${schema}`);
      url.searchParams.set('application_name', appName);
      let server: ServeProcess | undefined;
      let load: SteadyLoad | undefined;
      try {
        server = await startServe({
          SMSGATE_DATABASE_URL: url.toString(),
          SMSGATE_DB: `${temp.dir}/${dispatchThread}.db`, // beside it: the embedded simulator's journal
          SMSGATE_DISPATCH_THREAD: dispatchThread,
          SMSGATE_PER_NUMBER_INTERVAL_S: '0',
          // A claim or a submit record cut by the fault waits for its lease to end (then retried).
          SMSGATE_CLAIM_LEASE_MS: String(LEASE_MS),
          SMSGATE_LOG_LEVEL: 'warn',
        });
        const serverUrl = server.url;
        load = steadyLoad(() => serverUrl, sendBody('load', passcode), numbered('1380013'));
        /** When an answer came, on the clock the fault is timed by. */
        const startedAt = load.startedAt;
        const at = (a: SendOutcome): number => startedAt + a.answeredAt;
        await new Promise((resolve) => setTimeout(resolve, 800));
        const faultStart = Date.now();
        let killed = 0;
        while (Date.now() - faultStart < FAULT_MS) {
          killed += await killOurBackends();
          await new Promise((resolve) => setTimeout(resolve, KILL_EVERY_MS));
        }
        const faultEnd = Date.now();
        // Recovery: a send accepted again within 10 s of the end of the fault.
        const t0 = Date.now();
        while (!load.outcomes.some((a) => at(a) > faultEnd && a.status === 200) && Date.now() - t0 < 10_000) {
          if (server.child.exitCode !== null) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
        await load.stop();
        const log = server.stderr().slice(-3000);

        expect(server.child.exitCode, `the gateway died: ${log}`).toBeNull();
        expect(killed, 'backends terminated').toBeGreaterThan(0);
        const counts = histogram(load.outcomes);
        const notOk = load.outcomes.filter((a) => a.status !== 200);
        // During the fault: 200 or 503 with Retry-After, nothing else (no 500, no hang).
        expect(notOk.filter((a) => a.status !== 503 || a.retryAfter === null).map((a) => [a.status, a.body]), JSON.stringify(counts)).toEqual([]);
        expect(load.outcomes.filter((a) => a.status === 0).length, 'requests with no HTTP answer').toBe(0);
        expect(load.outcomes.some((a) => at(a) > faultEnd && a.status === 200), `no 200 within 10 s after the fault: ${log}`).toBe(true);
        // The operator sees why: the real error, not a bare "stopped".
        if (counts[503]) expect(server.stderr()).toContain('the database is unavailable');

        const accepted = load.outcomes.flatMap((a) => (a.uid ? [a.uid] : []));
        const missing = await notFinal(server.url, 'load', passcode, accepted, LEASE_MS + 15_000);
        expect(Object.fromEntries([...missing].slice(0, 10)), `${missing.size} of ${accepted.length} accepted not final`).toEqual({});
        const recoveredMs = Math.min(...load.outcomes.filter((a) => at(a) > faultEnd && a.status === 200).map((a) => at(a))) - faultEnd;
        console.log(
          `PostgreSQL fault (thread ${dispatchThread}): ${killed} backends killed over ${FAULT_MS} ms; answers ${JSON.stringify(counts)}; ` +
            `first 200 ${recoveredMs} ms after the fault; ${accepted.length} accepted, all final`,
        );
      } finally {
        await load?.stop();
        await server?.stop('SIGKILL');
      }
    }, 60_000);
  }
});
