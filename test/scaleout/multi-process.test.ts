import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/carrier/simulator/simulator.js';
import { tempDir } from '../support/cli.js';
import { describeIfService, postgresAvailable, redisAvailable } from '../support/services.js';
import { Fleet, pool, post, waitFor, type Member } from './fleet.js';
import { openSharedServices, type SharedServices } from './shared-services.js';

/**
 * The scale-out promise with real processes: two API processes and two dispatchers sharing
 * PostgreSQL and Redis, delivering to an SMSC simulator this test runs (so it can count what
 * reached the SMSC). Needs `npm run build` (npm test does it).
 */
const LEASE_MS = 3_000;
const BINDS = 2;
const WINDOW = 20;
const CLIENT = 'scaleout';
const TEMPLATE = 't1'; // made by openSharedServices

const [postgres, redis] = [await postgresAvailable(), await redisAvailable()];

describeIfService(postgres.available ? redis : postgres, 'scale-out: 2 API processes, 2 dispatchers, PostgreSQL, Redis', () => {
  const temp = tempDir('smsgate-scaleout-');
  let services: SharedServices;
  let simulator: RunningSimulator;
  let fleet: Fleet;
  let apis: Member[];
  let dispatchers: Member[];
  let env: Record<string, string>;
  const slotKeys = () => services.kv.keys(`${services.prefix}binds:slot:*`);

  beforeAll(async () => {
    services = await openSharedServices('scaleout', CLIENT);

    simulator = await startSimulator({ port: 0, dlrDelayMs: 50 });
    const carriers = join(temp.dir, 'carriers.json');
    const connection = { name: 'sim', host: '127.0.0.1', port: simulator.port, system_id: 'smsgate', password: 'smsgate', binds: BINDS, window: WINDOW };
    writeFileSync(carriers, JSON.stringify({ connections: [connection] }));
    env = {
      ...services.env,
      SMSGATE_CARRIERS: carriers,
      SMSGATE_CLAIM_LEASE_MS: String(LEASE_MS),
      SMSGATE_LOG_LEVEL: 'warn',
    };
    fleet = new Fleet(env);
    dispatchers = [fleet.dispatcher(), fleet.dispatcher()];
    apis = await Promise.all([fleet.api(), fleet.api()]);
    // Each dispatcher holds one of the two bind slots: the account is never bound twice over.
    await waitFor(async () => {
      const keys = await slotKeys();
      return keys.length === BINDS && new Set(await services.kv.mget(keys)).size === BINDS;
    }, 10_000, 'the bind slots spread over both dispatchers');
  }, 30_000);

  afterAll(async () => {
    await fleet?.killAll();
    await simulator?.close();
    await services?.close();
    temp.cleanup();
  }, 30_000);

  const send = (api: Member, phone: string) =>
    post(`${api.url}/api/sms/v1/sendsms`, { client_id: CLIENT, passcode: services.passcode, phone_number: phone, templet_id: TEMPLATE, contents: [{ p1: '1234' }] });

  it('holds the per-number limit across API processes: of 20 concurrent sends for one number, exactly one is accepted', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => send(apis[i % 2]!, '13700000001')));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(19);
  });

  it('holds a low global send rate across API processes', async () => {
    // Two more API processes at 20 sends/s, their own bucket (prefix). A limiter per process
    // would let through about twice what one shared bucket does.
    const rate = 20;
    const slow = await Promise.all([0, 1].map(() => fleet.api({ SMSGATE_SEND_RATE: String(rate), SMSGATE_REDIS_PREFIX: `${services.prefix}rate:` })));
    const phones = Array.from({ length: 200 }, (_, i) => String(13900000000 + i));
    const t0 = Date.now();
    const answers = await pool(phones, 20, async (phone, i) => {
      // ~200 sends spread over about one second.
      await new Promise((r) => setTimeout(r, Math.max(0, t0 + i * 5 - Date.now())));
      return send(slow[i % 2]!, phone);
    });
    const elapsedS = (Date.now() - t0) / 1000;
    const accepted = answers.filter((a) => a.status === 200).length;
    const bound = rate /* full bucket */ + rate * elapsedS + 3;
    console.info(`[scale-out] send rate ${rate}/s over two API processes: ${accepted} of 200 accepted in ${elapsedS.toFixed(2)} s (bound ${bound.toFixed(0)})`);
    expect(accepted).toBeGreaterThanOrEqual(rate);
    expect(accepted).toBeLessThanOrEqual(bound);
    expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
  });

  it('loses nothing when a dispatcher is killed mid-stream; the other takes over within the lease', async () => {
    const total = 2_000;
    const phones = Array.from({ length: total }, (_, i) => String(13800000000 + i));
    const submitsOf = () => [...simulator.stats.submitsByDestination.entries()].filter(([d]) => d.startsWith('86138'));
    const sending = pool(phones, 32, (phone, i) => send(apis[i % 2]!, phone));

    await waitFor(() => submitsOf().length >= 300, 20_000, '300 messages reach the SMSC');
    const victim = dispatchers[0]!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    const killedAt = Date.now();
    // What the dead dispatcher had claimed and not recorded as sent: the only ones that may
    // reach the SMSC twice (submitted, answered, but never marked sent).
    const leased = await services.inFlightOf(victim.child.pid!);

    // The survivor submits the dead one's claimed messages once their claim lease runs out
    // (watched while the sends go on).
    const takeover = waitFor(async () => {
      const { rows } = await services.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM messages WHERE phone_number = ANY($1::text[]) AND status = 'queuing'`,
        [leased.map((p) => `+${p}`)],
      );
      return Number(rows[0]!.n) === 0;
    }, LEASE_MS + 7_000, 'the dead dispatcher’s claimed messages are sent by the other').then(() => Date.now() - killedAt);
    const answers = await sending;
    const accepted = answers.filter((a) => a.status === 200).map((a) => a.json.sms_uid as string);
    expect(accepted).toHaveLength(total);
    const takeoverMs = await takeover;
    expect(takeoverMs).toBeLessThanOrEqual(LEASE_MS + 3_000);
    // ... and takes its bind slot once the coordination lease runs out.
    await waitFor(async () => {
      const keys = await slotKeys();
      return keys.length === BINDS && new Set(await services.kv.mget(keys)).size === 1;
    }, 10_000, 'the survivor holds both bind slots');

    await waitFor(async () => (await services.delivered(accepted)) === total, 30_000, 'every accepted message delivered');

    const submits = submitsOf();
    const twice = submits.filter(([, n]) => n > 1).map(([destination]) => destination);
    console.info(
      `[scale-out] kill -9 of a dispatcher: ${leased.length} claimed and not recorded as sent at the kill, ` +
        `${twice.length} submitted twice; the survivor had sent them ${takeoverMs} ms after the kill (claim lease ${LEASE_MS} ms)`,
    );
    expect(submits).toHaveLength(total); // every destination reached the SMSC
    expect(submits.every(([, n]) => n <= 2)).toBe(true);
    // Only what was in flight at the kill may have gone out twice.
    const inFlight = new Set(leased);
    expect(twice.filter((destination) => !inFlight.has(destination))).toEqual([]);
  }, 50_000);
});
