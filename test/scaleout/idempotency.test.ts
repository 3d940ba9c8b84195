import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';
import { describeIfService, postgresAvailable, redisAvailable } from '../support/services.js';
import { Fleet, type Member } from './fleet.js';
import { openSharedServices, type SharedServices } from './shared-services.js';

/**
 * Idempotency-Key across real API processes over PostgreSQL and Redis: the unique key in the
 * database decides which send is the first. Needs `npm run build` (npm test does it).
 */
const CLIENT = 'idem';
const [postgres, redis] = [await postgresAvailable(), await redisAvailable()];

describeIfService(postgres.available ? redis : postgres, 'Idempotency-Key across 2 API processes, PostgreSQL, Redis', () => {
  const temp = tempDir('smsgate-idem-scaleout-');
  let services: SharedServices;
  let fleet: Fleet;
  let apis: Member[];

  beforeAll(async () => {
    services = await openSharedServices('idem', CLIENT);
    fleet = new Fleet({ ...services.env, SMSGATE_LOG_LEVEL: 'warn' });
    apis = await Promise.all([fleet.api(), fleet.api()]);
  }, 30_000);

  afterAll(async () => {
    await fleet?.killAll();
    await services?.close();
    temp.cleanup();
  }, 30_000);

  async function send(api: Member, key: string, phone: string, code = '1234') {
    const response = await fetch(`${api.url}/api/sms/v1/sendsms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ client_id: CLIENT, passcode: services.passcode, phone_number: phone, templet_id: 't1', contents: [{ code }] }),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), json: (await response.json()) as { sms_uid?: string } };
  }

  const messagesTo = async (phone: string) =>
    Number((await services.db.query<{ n: string }>('SELECT count(*) AS n FROM messages WHERE phone_number = $1', [phone])).rows[0]!.n);

  it('20 sends with one key at once, over both processes: one message, one sms_uid', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => send(apis[i % 2]!, 'both', '13700000001')));
    const accepted = answers.filter((a) => a.status === 200);
    expect(answers.filter((a) => a.status !== 200).every((a) => a.status === 409 && a.retryAfter === '1'), JSON.stringify(answers)).toBe(true);
    // Each process accepts its first at least: the other process's commit makes the loser a repeat.
    expect(accepted.length).toBeGreaterThanOrEqual(2);
    expect(new Set(accepted.map((a) => a.json.sms_uid)).size).toBe(1);
    expect(await messagesTo('+8613700000001')).toBe(1);
    for (const api of apis) expect((await send(api, 'both', '13700000001')).json.sms_uid).toBe(accepted[0]!.json.sms_uid);
  });

  it('a different send with the key is 422 in either process', async () => {
    expect((await send(apis[0]!, 'other', '13700000002')).status).toBe(200);
    expect((await send(apis[1]!, 'other', '13700000002', '9999')).status).toBe(422);
  });

  it('kill -9 of the process that accepted: the other answers the repeat with the same sms_uid', async () => {
    const victim = await fleet.api();
    const first = await send(victim, 'crash', '13700000003');
    expect(first.status).toBe(200);
    victim.child.kill('SIGKILL');
    await victim.exited;
    const again = await send(apis[1]!, 'crash', '13700000003');
    expect(again.status).toBe(200);
    expect(again.json.sms_uid).toBe(first.json.sms_uid);
    expect(await messagesTo('+8613700000003')).toBe(1);
  }, 30_000);
});
