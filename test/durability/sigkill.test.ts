import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QUERY } from '../support/api.js';
import { postJson, requireBuild, runJson, startServe, tempDir, type ServeProcess } from '../support/cli.js';
import { finalStatuses, numbered, sendBody, steadyLoad, type SteadyLoad } from '../support/steady-load.js';

const tmp = tempDir('smsgate-durability-');
const running: ServeProcess[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop('SIGKILL');
});
afterAll(() => tmp.cleanup());

/** `loops` senders in a loop against `url`, each send to a number of its own. */
function fireSends(url: string, passcode: string, loops: number): SteadyLoad {
  return steadyLoad(() => url, sendBody('load', passcode), numbered('1380013'), loops);
}

const acceptedOf = (load: SteadyLoad): string[] => load.outcomes.flatMap((o) => (o.status === 200 ? [o.uid!] : []));

async function setUp(db: string): Promise<{ passcode: string }> {
  requireBuild();
  const client = await runJson(['client', 'add', 'load'], { SMSGATE_DB: db });
  await runJson(['template', 'add', 't1', '--text', 'code ${code}'], { SMSGATE_DB: db });
  return client;
}

describe('nothing accepted is ever lost', () => {
  describe('SIGKILL while accepting sends, then a restart on the same database', () => {
    const db = join(tmp.dir, 'kill.db');
    const env = { SMSGATE_DB: db, SMSGATE_PER_NUMBER_INTERVAL_S: '0', SMSGATE_SIM_DLR_MS: '50', SMSGATE_LOG_LEVEL: 'warn' };
    let passcode = '';
    let accepted: string[] = [];
    let second: ServeProcess;

    beforeAll(async () => {
      ({ passcode } = await setUp(db));
      const first = await startServe(env);
      const load = fireSends(first.url, passcode, 16);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const acceptedBeforeKill = acceptedOf(load).length;
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');
      await load.stop();
      // The kill came while sends were in flight, and plenty had been accepted.
      expect(acceptedBeforeKill).toBeGreaterThan(50);
      expect(load.outcomes.some((o) => o.status === 0)).toBe(true);
      accepted = acceptedOf(load);
      second = await startServe(env);
    });
    afterAll(async () => {
      await second?.stop('SIGKILL');
    });

    it('every sms_uid that got a 200 is there', async () => {
      const answers = await Promise.all(accepted.map((uid) => postJson(`${second.url}${QUERY}`, { client_id: 'load', passcode, sms_uid: uid })));
      const missing = answers.filter((a) => a.status !== 200);
      expect(missing, `${missing.length} of ${answers.length} accepted sends are missing; server log: ${second.stderr().slice(-1500)}`).toEqual([]);
    });

    it('every sms_uid that got a 200 reaches delivered', async () => {
      let statuses: Map<string, string>;
      try {
        statuses = await finalStatuses(second.url, 'load', passcode, accepted, 6000);
      } catch (error) {
        throw new Error(`restarted server failed: ${String(error)}\n${second.stderr().slice(-3000)}`);
      }
      const lost = [...statuses].filter(([, status]) => status !== 'delivered');
      expect(Object.fromEntries(lost.slice(0, 10)), `${lost.length} of ${accepted.length} not delivered`).toEqual({});
    });
  });

  it('SIGTERM while accepting sends: in-flight requests finish, every 200 is stored, exit code 0', async () => {
    const db = join(tmp.dir, 'term.db');
    const { passcode } = await setUp(db);
    const env = { SMSGATE_DB: db, SMSGATE_PER_NUMBER_INTERVAL_S: '0', SMSGATE_SIM_DLR_MS: '50', SMSGATE_LOG_LEVEL: 'warn' };
    const first = await startServe(env);
    running.push(first);
    const load = fireSends(first.url, passcode, 16);
    await new Promise((resolve) => setTimeout(resolve, 700));
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    await load.stop();
    const accepted = acceptedOf(load);
    expect(accepted.length).toBeGreaterThan(20);

    const second = await startServe(env);
    running.push(second);
    const answers = await Promise.all(accepted.map((uid) => postJson(`${second.url}${QUERY}`, { client_id: 'load', passcode, sms_uid: uid })));
    const missing = answers.filter((a) => a.status !== 200);
    expect(missing, `${missing.length} of ${answers.length} accepted sends are missing`).toEqual([]);
  });
});
