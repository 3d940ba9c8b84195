import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, requireBuild, runJson, startServe, tempDir, type ServeProcess } from '../support/cli.js';
import { duplicateSubmits, finalStatuses, numbered, sendBody, startSimulatorProcess, steadyLoad, submitCount, type SendOutcome, type SimulatorProcess } from '../support/steady-load.js';

const tmp = tempDir('smsgate-crash-');
afterAll(() => tmp.cleanup());
const KILLS = 3;

/**
 * `embedded`: the default, the simulator dies with each gateway (its receipt journal survives);
 * its submit log lines of the last moments before a kill may be lost with the process, so its
 * duplicate count is a lower bound. `standalone`: `smsgate simulator` outlives the kills and
 * sees every submit, so its count is exact.
 */
function crashSuite(smsc: 'embedded' | 'standalone', numberPrefix: string): void {
  describe(`kill -9 of the gateway (${smsc} SMSC), ${KILLS} times under a steady sendsms load`, () => {
    const db = join(tmp.dir, `${smsc}.db`);
    // Debug: the simulator logs each submit_sm it receives, which is how duplicates are counted.
    const env: Record<string, string> = { SMSGATE_DB: db, SMSGATE_PER_NUMBER_INTERVAL_S: '0', SMSGATE_LOG_LEVEL: 'debug' };
    let passcode = '';
    const outcomes: SendOutcome[] = [];
    /** The logs holding simulator submits: each gateway life's, or the one simulator's. */
    const logs: (() => string)[] = [];
    let survivor: ServeProcess;
    let simulator: SimulatorProcess | undefined;
    const number = numbered(numberPrefix);

    beforeAll(async () => {
      requireBuild();
      ({ passcode } = await runJson(['client', 'add', 'load'], { SMSGATE_DB: db }));
      await runJson(['template', 'add', 't1', '--text', 'code ${code}'], { SMSGATE_DB: db });
      if (smsc === 'standalone') {
        const simPort = await freePort();
        simulator = await startSimulatorProcess(simPort, join(tmp.dir, 'standalone-receipts.db'));
        const carriers = join(tmp.dir, 'carriers.json');
        const connection = { name: 'sim', host: '127.0.0.1', port: simPort, system_id: 'smsgate', password: 'smsgate', reconnect_initial_ms: 200, reconnect_max_ms: 1000 };
        writeFileSync(carriers, JSON.stringify({ connections: [connection] }));
        env.SMSGATE_CARRIERS = carriers;
        logs.push(() => simulator!.log());
      }
      let offset = 0;
      for (let kill = 0; kill < KILLS; kill++) {
        const server = await startServe(env);
        if (smsc === 'embedded') logs.push(() => server.stderr());
        const base = offset;
        const load = steadyLoad(() => server.url, sendBody('load', passcode), (i) => number(base + i), 16);
        await new Promise((r) => setTimeout(r, 1500));
        server.child.kill('SIGKILL');
        expect(await server.exited).toBe('SIGKILL');
        await load.stop();
        outcomes.push(...load.outcomes);
        offset += load.outcomes.length;
      }
      survivor = await startServe(env);
      if (smsc === 'embedded') logs.push(() => survivor.stderr());
    }, 45_000);

    afterAll(async () => {
      await survivor?.stop('SIGKILL');
      await simulator?.stop('SIGKILL');
    });

    const accepted = (): string[] => outcomes.filter((o) => o.status === 200).map((o) => o.uid!);

    it('loses none of the 200s: each is stored and reaches delivered after the last restart', async () => {
      expect(accepted().length).toBeGreaterThan(100);
      // Some requests were in flight at each kill: those failed on the client, and are not owed.
      expect(outcomes.filter((o) => o.status === 0).length).toBeGreaterThan(0);
      const statuses = await finalStatuses(survivor.url, 'load', passcode, accepted(), 15_000);
      const lost = [...statuses].filter(([, s]) => s !== 'delivered');
      expect(lost.slice(0, 10), `${lost.length} of ${accepted().length} not delivered; log: ${survivor.stderr().slice(-1500)}`).toEqual([]);
    });

    it('submits a message twice only across a kill, at most once per kill, and counts it', () => {
      const submits = logs.reduce((sum, log) => sum + submitCount(log()), 0);
      const duplicates = duplicateSubmits(logs.map((log) => log()));
      const resent = [...duplicates.values()].reduce((sum, n) => sum + n - 1, 0);
      console.info(`kill -9 x${KILLS} (${smsc} SMSC): ${accepted().length} accepted of ${outcomes.length} sent, ${submits} submits seen, ${duplicates.size} numbers submitted more than once (${resent} extra submits)`);
      if (smsc === 'standalone') {
        // It saw every submit (else the counts here would prove nothing).
        expect(submits).toBeGreaterThanOrEqual(accepted().length);
      } else {
        // Within one life no number is submitted twice: duplicates come only from a kill.
        expect(logs.map((log) => duplicateSubmits([log()]).size)).toEqual(logs.map(() => 0));
      }
      // A message whose submit_sm the SMSC took but whose result the killed gateway had not yet
      // committed is sent again by the next life (docs/carriers.md, "Duplicates").
      expect([...duplicates.values()].every((n) => n <= KILLS + 1)).toBe(true);
    });
  });
}

crashSuite('embedded', '1380017');
crashSuite('standalone', '1380018');
