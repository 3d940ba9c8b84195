import { afterAll, beforeAll, expect, it } from 'vitest';
import { runJson } from '../support/cli.js';
import { describeIfService, postgresAvailable, redisAvailable } from '../support/services.js';
import { Fleet, pool, post, waitFor, type Member } from './fleet.js';
import { openSharedServices, type SharedServices } from './shared-services.js';

/**
 * The send policy held by two API processes together (PostgreSQL + Redis): limits are set with
 * the CLI, as an operator would, and every count is one for the fleet. Needs `npm run build`.
 */
const CLIENT = 'signup';
const RUN_MS = 5_000;

const [postgres, redis] = [await postgresAvailable(), await redisAvailable()];

describeIfService(postgres.available ? redis : postgres, 'scale-out limits: 2 API processes, PostgreSQL, Redis', () => {
  let services: SharedServices;
  let fleet: Fleet;
  let apis: Member[];
  const send = (api: Member, phone: string) =>
    post(`${api.url}/api/sms/v1/sendsms`, { client_id: CLIENT, passcode: services.passcode, phone_number: phone, templet_id: 't1', contents: [{ code: '1234' }] });

  beforeAll(async () => {
    services = await openSharedServices('limits', CLIENT);
    await runJson(['client', 'limits', CLIENT, '--rate', '100/s', '--countries', 'CN,SG'], services.env);
    fleet = new Fleet({ ...services.env, SMSGATE_LOG_LEVEL: 'warn', SMSGATE_PER_NUMBER_LIMITS: '1/60s,2/1h' });
    apis = await Promise.all([fleet.api(), fleet.api()]);
  }, 30_000);

  afterAll(async () => {
    await fleet?.killAll();
    await services?.close();
  });

  it('a client with --rate 100/s gets at most 100 accepted a second in total, over 5 s, and 429 with Retry-After beyond', async () => {
    const accepted: number[] = [];
    const statuses = new Map<number, number>();
    let refusal: { status: number; json: any } | undefined;
    const started = Date.now();
    let i = 0;
    await pool(Array.from({ length: 64 }), 64, async () => {
      while (Date.now() - started < RUN_MS) {
        const n = i++;
        const answer = await send(apis[n % 2]!, `+86139${String(n).padStart(8, '0')}`);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status === 200) accepted.push(Date.now());
        else refusal ??= answer;
      }
    });
    const seconds = Math.ceil((Date.now() - started) / 1000);
    // Admissions are counted on Redis's clock in a sliding 1 s window: at most 100 in any second.
    expect(accepted.length, JSON.stringify([...statuses])).toBeLessThanOrEqual(100 * seconds);
    // When the fleet was asked for more than the rate (a loaded machine may not get there),
    // the beyond is refused for it.
    const attempts = [...statuses.values()].reduce((sum, n) => sum + n, 0);
    if (attempts > 150 * seconds) expect(refusal?.json.error_message).toMatch(/client signup is at its rate of 100\/s/);
    expect([...statuses.keys()].filter((status) => status !== 200 && status !== 429)).toEqual([]);
  }, 30_000);

  it('one client rate for the fleet, whatever the machine speed: 20/1m across both processes admits exactly 20 of 30', async () => {
    const { passcode } = await runJson(['client', 'add', 'slow_page'], services.env);
    await runJson(['client', 'limits', 'slow_page', '--rate', '20/1m'], services.env);
    const sendAs = (api: Member, phone: string) =>
      post(`${api.url}/api/sms/v1/sendsms`, { client_id: 'slow_page', passcode, phone_number: phone, templet_id: 't1', contents: [{ code: '1' }] });
    // Both changes are picked up within a second (the blocklist test measures it).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => sendAs(apis[i % 2]!, `+86137000001${String(i).padStart(2, '0')}`)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(20);
    const refused = answers.filter((a) => a.status !== 200);
    expect(new Set(refused.map((a) => a.status))).toEqual(new Set([429]));
    expect(refused[0]!.json.error_message).toMatch(/client slow_page is at its rate of 20\/1m/);
  }, 30_000);

  it('per-number windows hold across the processes, in every spelling', async () => {
    expect((await send(apis[0]!, '+86 138-0013-8100')).status).toBe(200);
    const second = await send(apis[1]!, '0086 13800138100');
    expect(second.status).toBe(429);
    expect(second.json.error_message).toMatch(/\+8613800138100 is at its limit of 1\/60s/);
  });

  it('a country outside the list is 403 naming it', async () => {
    const answer = await send(apis[1]!, '+85251234567');
    expect(answer.status).toBe(403);
    expect(answer.json.error_message).toMatch(/may not send to country HK/);
  });

  it('a blocklist change reaches both processes within a second', async () => {
    const phone = '+6581234567';
    await runJson(['blocklist', 'add', phone], services.env);
    const took = await Promise.all(apis.map((api, i) => waitFor(async () => (await send(api, phone.replace('+65', i ? '+65 ' : '+65'))).status === 403, 3_000, 'blocked')));
    // Polled every half second: 1 s, with room for a loaded machine's HTTP round trips.
    for (const ms of took) expect(ms).toBeLessThanOrEqual(1_500);
    const refused = await send(apis[0]!, phone);
    expect(refused.json.error_message).toMatch(/\+6581234567 is on the blocklist/);
  });
});
