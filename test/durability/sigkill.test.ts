import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postJson, requireBuild, runJson, startServe, tempDir, type ServeProcess } from '../support/cli.js';

const SEND = '/api/sms/v1/sendsms';
const QUERY = '/api/sms/v1/querysms';

const tmp = tempDir('smsgate-durability-');
const running: ServeProcess[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop('SIGKILL');
});
afterAll(() => tmp.cleanup());

/** Distinct valid CN mobile numbers: 1380013xxxx, then 1390013xxxx. */
function number(i: number): string {
  return `${i < 10_000 ? '1380013' : '1390013'}${String(i % 10_000).padStart(4, '0')}`;
}

interface Load {
  readonly accepted: string[];
  readonly attempts: () => number;
  /** Stops the loops and waits for the requests in flight to settle. */
  stop(): Promise<void>;
}

/** `loops` concurrent senders, each posting one send after another, recording every sms_uid answered 200. */
function fireSends(url: string, clientId: string, passcode: string, loops: number): Load {
  const accepted: string[] = [];
  let next = 0;
  let stopped = false;
  const runners = Array.from({ length: loops }, async () => {
    while (!stopped) {
      const i = next++;
      try {
        const answer = await postJson(`${url}${SEND}`, {
          client_id: clientId,
          passcode,
          phone_number: number(i),
          templet_id: 't1',
          contents: [{ p1: String(i) }],
        });
        if (answer.status === 200) accepted.push(answer.json.sms_uid);
      } catch {
        // connection refused or reset: the server is gone
        if (stopped) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  });
  return {
    accepted,
    attempts: () => next,
    stop: async () => {
      stopped = true;
      await Promise.all(runners);
    },
  };
}

async function setUp(db: string): Promise<{ passcode: string }> {
  requireBuild();
  const client = await runJson(['client', 'add', 'load'], { SMSGATE_DB: db });
  await runJson(['template', 'add', 't1', '--text', 'code ${code}'], { SMSGATE_DB: db });
  return client;
}

/** Every uid exists for its client and reaches `delivered` within `timeoutMs`; returns the ones that did not. */
async function undelivered(url: string, passcode: string, uids: readonly string[], timeoutMs: number): Promise<Map<string, string>> {
  const waiting = new Map(uids.map((uid) => [uid, 'not asked']));
  const deadline = Date.now() + timeoutMs;
  while (waiting.size > 0 && Date.now() < deadline) {
    const batch = [...waiting.keys()].slice(0, 200);
    const answers = await Promise.all(batch.map((uid) => postJson(`${url}${QUERY}`, { client_id: 'load', passcode, sms_uid: uid })));
    answers.forEach((answer, i) => {
      const uid = batch[i]!;
      if (answer.status === 200 && answer.json.status === 'delivered') waiting.delete(uid);
      else waiting.set(uid, answer.status === 200 ? answer.json.status : `HTTP ${answer.status}`);
    });
    if (waiting.size > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return waiting;
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
      const load = fireSends(first.url, 'load', passcode, 16);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const acceptedBeforeKill = load.accepted.length;
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');
      await load.stop();
      // The kill came while sends were in flight, and plenty had been accepted.
      expect(acceptedBeforeKill).toBeGreaterThan(50);
      expect(load.attempts()).toBeGreaterThan(load.accepted.length);
      accepted = load.accepted;
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
      let lost: Map<string, string>;
      try {
        lost = await undelivered(second.url, passcode, accepted, 6000);
      } catch (error) {
        throw new Error(`restarted server failed: ${String(error)}\n${second.stderr().slice(-3000)}`);
      }
      expect(Object.fromEntries([...lost].slice(0, 10)), `${lost.size} of ${accepted.length} not delivered`).toEqual({});
    });
  });

  it('SIGTERM while accepting sends: in-flight requests finish, every 200 is stored, exit code 0', async () => {
    const db = join(tmp.dir, 'term.db');
    const { passcode } = await setUp(db);
    const env = { SMSGATE_DB: db, SMSGATE_PER_NUMBER_INTERVAL_S: '0', SMSGATE_SIM_DLR_MS: '50', SMSGATE_LOG_LEVEL: 'warn' };
    const first = await startServe(env);
    running.push(first);
    const load = fireSends(first.url, 'load', passcode, 16);
    await new Promise((resolve) => setTimeout(resolve, 700));
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    await load.stop();
    expect(load.accepted.length).toBeGreaterThan(20);

    const second = await startServe(env);
    running.push(second);
    const answers = await Promise.all(load.accepted.map((uid) => postJson(`${second.url}${QUERY}`, { client_id: 'load', passcode, sms_uid: uid })));
    const missing = answers.filter((a) => a.status !== 200);
    expect(missing, `${missing.length} of ${answers.length} accepted sends are missing`).toEqual([]);
  });
});
