import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/carrier/simulator/simulator.js';
import { loadConfig } from '../../src/config/config.js';
import { generatePasscode, hashPasscode } from '../../src/domain/passcode.js';
import { composeGateway, type RunningGateway } from '../../src/compose/compose-gateway.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { silentLogger, testConfig } from './helpers.js';

/**
 * The whole gateway (HTTP API, SQLite store, dispatcher) delivering over SMPP to the simulator
 * on a real TCP port: the statuses a client queries are those the SMSC's answers mean.
 */
let sim: RunningSimulator;
let gateway: RunningGateway;
let store: SqliteStore;
let dir: string;
let passcode: string;

const LONG_GSM = 'Your one-time code is ${code}. Never share it with anyone, not even our staff. '.repeat(5); // ~395 septets
const LONG_UCS2 = '您的验证码是${code}，请勿泄露给任何人。'.repeat(9); // ~180 code units

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smsgate-e2e-'));
  sim = await startSimulator({ dlrDelayMs: 50 });
  const base = loadConfig({
    SMSGATE_PORT: '0',
    SMSGATE_ADMIN_PORT: '0',
    SMSGATE_HOST: '127.0.0.1',
    SMSGATE_DB: join(dir, 'smsgate.db'),
    SMSGATE_PER_NUMBER_INTERVAL_S: '0',
  });
  // One second of validity (below what the environment allows) so the SMSC expires held messages fast.
  const config = { ...base, validityS: 1 };
  store = SqliteStore.open(config.dbPath);
  gateway = await composeGateway(config, silentLogger, { store, carriers: testConfig(sim.port) });
  passcode = generatePasscode();
  await store.addClient('c1', hashPasscode('c1', passcode), Date.now());
  await store.addTemplate({ templetId: 'short', body: 'code ${code}', clientId: null });
  await store.addTemplate({ templetId: 'long-gsm', body: LONG_GSM, clientId: null });
  await store.addTemplate({ templetId: 'long-ucs2', body: LONG_UCS2, clientId: null });
  await gateway.refreshCatalog();
});

afterAll(async () => {
  await gateway?.close();
  await store?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(path: string, body: unknown): Promise<any> {
  const response = await fetch(`http://127.0.0.1:${gateway.port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.json();
}

async function send(phone: string, templet = 'short'): Promise<string> {
  const body = { client_id: 'c1', passcode, phone_number: phone, templet_id: templet, contents: [{ code: '482913' }] };
  const answer = await post('/api/sms/v1/sendsms', body);
  expect(answer).toMatchObject({ status: 'queuing' });
  return answer.sms_uid;
}

async function finalStatus(smsUid: string, timeout = 8000): Promise<{ status: string; error_code: string }> {
  let last: any;
  await expect
    .poll(
      async () => {
        last = await post('/api/sms/v1/querysms', { client_id: 'c1', passcode, sms_uid: smsUid });
        return last.status;
      },
      { timeout, interval: 50 },
    )
    .not.toMatch(/^(queuing|sent)$/);
  return last;
}

describe('gateway -> SMPP -> simulator', () => {
  it.each([
    ['a GSM-7 text', '+12025550100', 'short', 1],
    ['a 3-part GSM-7 text', '+12025550100', 'long-gsm', 3],
    ['a 3-part UCS-2 text', '+8613800138000', 'long-ucs2', 3],
    ['a receipt id in decimal for a hex submit id', '+12025550111', 'short', 1],
    ['a receipt that arrives before the submit_sm_resp', '+12025550110', 'short', 1],
    ['a throttled first submit, retried', '+12025550101', 'short', 1],
    ['a connection drop mid-flight', '+12025550107', 'short', 1],
  ])('delivers %s', async (_what, phone, templet, parts) => {
    const smsUid = await send(phone, templet);
    expect(await finalStatus(smsUid)).toEqual(expect.objectContaining({ status: 'delivered', error_code: '0' }));
    expect((await store.getMessage(smsUid))?.partCount).toBe(parts);
  });

  it('ends a permanently rejected submit as error_rejected with the command_status', async () => {
    const smsUid = await send('+12025550103');
    expect(await finalStatus(smsUid)).toMatchObject({ status: 'error_rejected', error_code: '11' });
  });

  it('ends an UNDELIV receipt as error_undeliverable', async () => {
    expect(await finalStatus(await send('+12025550104'))).toMatchObject({ status: 'error_undeliverable' });
  });

  it('ends a message the SMSC could not deliver within its validity period as error_expired', async () => {
    expect(await finalStatus(await send('+12025550109'))).toMatchObject({ status: 'error_expired' });
  });
});
