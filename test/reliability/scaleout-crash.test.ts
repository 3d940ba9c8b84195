import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort, tempDir } from '../support/cli.js';
import { describeIfService, postgresAvailable, redisAvailable } from '../support/services.js';
import { duplicateSubmits, histogram, numberedWide, sendBody, startSimulatorProcess, steadyLoad, submitCount, type SendOutcome, type SimulatorProcess } from '../support/steady-load.js';
import { Fleet, waitFor, type Member } from '../scaleout/fleet.js';
import { openSharedServices, type SharedServices } from '../scaleout/shared-services.js';

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
/** How long a fresh API process may take to answer: on a loaded host, many seconds of waiting for CPU. */
const START_MS = 40_000;

const [postgres, redis] = [await postgresAvailable(), await redisAvailable()];

describeIfService(postgres.available ? redis : postgres, `scale-out kill -9 of an API process and a dispatcher, ${KILLS} times under load`, () => {
  const temp = tempDir('smsgate-scaleout-crash-');
  let services: SharedServices;
  let simulator: SimulatorProcess;
  let fleet: Fleet;
  const outcomes: SendOutcome[] = [];
  /** Per dispatcher kill: what it had claimed and not recorded as sent, the only ones it may leave sent twice. */
  const inFlightAtKill: Set<string>[] = [];

  beforeAll(async () => {
    services = await openSharedServices('rel_crash', CLIENT);
    const simPort = await freePort();
    simulator = await startSimulatorProcess(simPort, join(temp.dir, 'receipts.db'));
    const carriers = join(temp.dir, 'carriers.json');
    const connection = {
      name: 'sim', host: '127.0.0.1', port: simPort, system_id: 'smsgate', password: 'smsgate',
      binds: BINDS, window: WINDOW, reconnect_initial_ms: 200, reconnect_max_ms: 1_000,
    };
    writeFileSync(carriers, JSON.stringify({ connections: [connection] }));
    fleet = new Fleet({
      ...services.env,
      SMSGATE_CARRIERS: carriers,
      SMSGATE_CLAIM_LEASE_MS: String(LEASE_MS),
      SMSGATE_LOG_LEVEL: 'warn',
    });
    const dispatchers: Member[] = [fleet.dispatcher(), fleet.dispatcher()];
    const apis: Member[] = await Promise.all([fleet.api({}, START_MS), fleet.api({}, START_MS)]);

    // The load goes round the API processes alive at the moment.
    let turn = 0;
    const live = (): string => {
      const up = apis.filter((api) => api.child.exitCode === null && api.child.signalCode === null);
      return up[turn++ % up.length]!.url!;
    };
    const load = steadyLoad(live, sendBody(CLIENT, services.passcode), numberedWide('138009'));

    for (let round = 0; round < KILLS; round++) {
      await new Promise((r) => setTimeout(r, ROUND_MS));
      const api = apis[round % 2]!;
      const dispatcher = dispatchers[round % 2]!;
      api.child.kill('SIGKILL');
      dispatcher.child.kill('SIGKILL');
      await Promise.all([api.exited, dispatcher.exited]);
      inFlightAtKill.push(new Set(await services.inFlightOf(dispatcher.child.pid!)));
      dispatchers[round % 2] = fleet.dispatcher();
      apis[round % 2] = await fleet.api({}, START_MS);
    }
    await new Promise((r) => setTimeout(r, ROUND_MS));
    await load.stop();
    outcomes.push(...load.outcomes);
  }, 4 * START_MS); // about 15 s where a process starts in 2 s

  afterAll(async () => {
    await fleet?.killAll();
    await simulator?.stop('SIGKILL');
    await services?.close();
    temp.cleanup();
  }, 20_000);

  const accepted = (): string[] => outcomes.filter((o) => o.status === 200).map((o) => o.uid!);

  it('loses none of the 200s: every one reaches delivered', async () => {
    expect(accepted().length).toBeGreaterThan(200);
    // Requests were in flight at the API kills: those failed on the client and are not owed.
    expect(outcomes.filter((o) => o.status === 0).length).toBeGreaterThan(0);
    const ms = await waitFor(async () => (await services.delivered(accepted())) === accepted().length, 15_000, 'every accepted message delivered').catch(
      async (error: unknown) => {
        throw new Error(`${String(error)}: ${await services.delivered(accepted())} of ${accepted().length}; ${JSON.stringify(histogram(outcomes))}`);
      },
    );
    console.info(`[scale-out crash] ${JSON.stringify(histogram(outcomes))} over ${outcomes.length} sends; all ${accepted().length} accepted delivered ${ms} ms after the load stopped`);
  }, 20_000);

  it('submits twice only what a killed dispatcher had in flight, at most its windows per kill', () => {
    const log = simulator.log();
    const duplicates = duplicateSubmits([log]);
    const extra = [...duplicates.values()].reduce((sum, n) => sum + n - 1, 0);
    console.info(
      `[scale-out crash] ${KILLS} kills of an API process and a dispatcher: ${submitCount(log)} submits seen, claimed and not recorded as sent ` +
        `at each dispatcher kill ${JSON.stringify(inFlightAtKill.map((s) => s.size))}, ${duplicates.size} numbers submitted twice (${extra} extra submits)`,
    );
    // Every accepted message reached the SMSC (else the counts here would prove nothing).
    expect(submitCount(log) - extra).toBeGreaterThanOrEqual(accepted().length);
    const unexplained = [...duplicates.keys()].filter((d) => !inFlightAtKill.some((inFlight) => inFlight.has(d)));
    expect(unexplained).toEqual([]);
    expect([...duplicates.values()].every((n) => n === 2)).toBe(true);
    // Per kill, no more than one dispatcher's windows (docs/carriers.md, "Duplicates").
    for (const inFlight of inFlightAtKill) {
      expect([...duplicates.keys()].filter((d) => inFlight.has(d)).length).toBeLessThanOrEqual(BINDS * WINDOW);
    }
  });
});
