import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startServe, tempDir, within, type ServeProcess } from '../support/cli.js';
import { startSimulatorProcess, type SimulatorProcess } from '../support/steady-load.js';

const tmp = tempDir('smsgate-readyz-');
const running: { stop(signal?: NodeJS.Signals): Promise<unknown> }[] = [];
afterAll(async () => {
  for (const process of running.reverse()) await process.stop('SIGKILL');
  tmp.cleanup();
});

/** A gateway (default topology) whose one connection goes to `smsgate simulator` on `simPort`. */
async function gatewayFor(name: string, simPort: number, password = 'smsgate'): Promise<{ server: ServeProcess; readyz: () => Promise<{ status: number; body: any }> }> {
  const carriers = join(tmp.dir, `${name}-carriers.json`);
  const connection = {
    name: `smsc-${name}`, host: '127.0.0.1', port: simPort, system_id: 'smsgate', password,
    response_timeout_ms: 1000, reconnect_initial_ms: 100, reconnect_max_ms: 500, enquire_link_interval_ms: 1000,
  };
  writeFileSync(carriers, JSON.stringify({ connections: [connection] }));
  const server = await startServe({ SMSGATE_DB: join(tmp.dir, `${name}.db`), SMSGATE_CARRIERS: carriers }, { args: ['--json'] });
  running.push(server);
  const [line] = await server.waitForStdout(/^\{.*\}$/m, 10_000);
  const admin = `http://127.0.0.1:${JSON.parse(line).admin_port}`;
  return {
    server,
    readyz: async () => {
      const response = await fetch(`${admin}/readyz`);
      return { status: response.status, body: await response.json() };
    },
  };
}

async function simulator(port: number, name: string): Promise<SimulatorProcess> {
  const sim = await startSimulatorProcess(port, join(tmp.dir, `${name}-journal.db`));
  running.push(sim);
  return sim;
}

describe('/readyz follows the SMSC', () => {
  it('goes 503 when the SMSC is stopped, naming the bind, and 200 when it is back', async () => {
    const simPort = await freePort();
    const first = await simulator(simPort, 'restart');
    const { readyz } = await gatewayFor('restart', simPort);
    await within(15_000, async () => (await readyz()).status === 200, 'ready once bound');

    await first.stop('SIGKILL');
    let down = await readyz();
    await within(10_000, async () => (down = await readyz()).status === 503, '503 once the SMSC is gone');
    expect(down.body).toMatchObject({ status: 'unavailable', store: { ok: true }, binds: { ok: false, up: 0 } });
    expect(down.body.binds.binds[0]).toMatchObject({ connection: 'smsc-restart', status: 'connecting', since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });

    await simulator(simPort, 'restart');
    await within(15_000, async () => (await readyz()).status === 200, '200 once the SMSC is back');
    expect((await readyz()).body).toMatchObject({ status: 'ready', binds: { ok: true, up: 1 } });
  }, 60_000);

  it('a bind the SMSC refuses shows its refusal (ESME_RINVPASWD), its connection and since when', async () => {
    const simPort = await freePort();
    await simulator(simPort, 'refused');
    const { readyz } = await gatewayFor('refused', simPort, 'wrongpw');
    let answer = await readyz();
    await within(15_000, async () => (answer = await readyz()).body.binds?.binds?.[0]?.status === 'refused', 'the refusal shows');
    expect(answer.status).toBe(503);
    expect(answer.body.binds.binds[0]).toMatchObject({ connection: 'smsc-refused', status: 'refused', reason: 'ESME_RINVPASWD' });
    expect(Date.parse(answer.body.binds.binds[0].since)).toBeLessThanOrEqual(Date.now());
  }, 60_000);
});
