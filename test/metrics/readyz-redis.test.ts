import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, tempDir, within } from '../support/cli.js';
import { REDIS_TEST_URL, describeIfRedis } from '../support/services.js';
import { startSimulatorProcess, type SimulatorProcess } from '../support/steady-load.js';
import { Fleet } from '../scaleout/fleet.js';

/**
 * /readyz of each `--role` names Redis: the API process keeps its limits there, a dispatcher
 * delivering to an SMSC (SMSGATE_CARRIERS) its bind slots. Each role runs alone on a SQLite file
 * of its own, over real HTTP on its admin port.
 */
const tmp = tempDir('smsgate-readyz-redis-');
const fleet = new Fleet({ SMSGATE_LOG_LEVEL: 'warn', SMSGATE_REDIS_PREFIX: `test:readyz:${randomUUID()}:` });
let sim: SimulatorProcess;
let carriers = '';

beforeAll(async () => {
  const simPort = await freePort();
  sim = await startSimulatorProcess(simPort, join(tmp.dir, 'journal.db'));
  carriers = join(tmp.dir, 'carriers.json');
  writeFileSync(carriers, JSON.stringify({ connections: [{ name: 'smsc-a', host: '127.0.0.1', port: simPort, system_id: 'smsgate', password: 'smsgate', reconnect_initial_ms: 100, reconnect_max_ms: 500 }] }));
}, 20_000);
afterAll(async () => {
  await fleet.killAll();
  await sim?.stop('SIGKILL');
  tmp.cleanup();
});

/** Starts one process of `role` on `redisUrl`; answers how to ask its /readyz. */
async function start(role: 'api' | 'dispatcher', redisUrl: string): Promise<() => Promise<{ status: number; body: any }>> {
  const adminPort = await freePort();
  const env = { SMSGATE_DB: join(tmp.dir, `${role}-${adminPort}.db`), SMSGATE_ADMIN_PORT: String(adminPort), SMSGATE_REDIS_URL: redisUrl, SMSGATE_CARRIERS: carriers };
  if (role === 'api') await fleet.api(env);
  else fleet.dispatcher(env);
  const readyz = async () => {
    const response = await fetch(`http://127.0.0.1:${adminPort}/readyz`);
    return { status: response.status, body: await response.json() };
  };
  await within(20_000, async () => (await readyz().catch(() => undefined)) !== undefined, `the ${role} process's admin listener`);
  return readyz;
}

describe('/readyz with SMSGATE_REDIS_URL on a port where no Redis listens', () => {
  for (const role of ['api', 'dispatcher'] as const) {
    it(`--role ${role}: 503, naming redis`, async () => {
      const readyz = await start(role, `redis://127.0.0.1:${await freePort()}`);
      const answer = await readyz();
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ status: 'unavailable', store: { ok: true }, redis: { ok: false, error: expect.any(String) } });
    }, 40_000);
  }
});

await describeIfRedis('/readyz with a Redis that answers', () => {
  it('--role dispatcher: 200 with redis ok beside its binds', async () => {
    const readyz = await start('dispatcher', REDIS_TEST_URL);
    let answer = await readyz();
    await within(20_000, async () => (answer = await readyz()).status === 200, 'the dispatcher ready');
    expect(answer.body).toMatchObject({ status: 'ready', store: { ok: true }, redis: { ok: true }, binds: { ok: true, up: 1 } });
  }, 40_000);
});
