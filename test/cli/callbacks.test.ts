import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { sendMessage } from '../store/contract/support.js';
import { requireBuild, runCli, runJson, tempDir } from '../support/cli.js';

const tmp = tempDir();
const DB = join(tmp.dir, 'smsgate.db');
const env = { SMSGATE_DB: DB };
const privateOk = { ...env, SMSGATE_CALLBACK_ALLOW_PRIVATE: 'true' };
const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

beforeAll(async () => {
  requireBuild();
  for (const clientId of ['acme', 'beta']) await runJson(['client', 'add', clientId], env);
});
afterAll(() => tmp.cleanup());

/** Makes one dead callback event for the client, as a sender whose tries ran out would. */
async function deadEvent(clientId: string, carrierId: string): Promise<string> {
  const store = SqliteStore.open(DB);
  try {
    const smsUid = await sendMessage(store, [carrierId], Date.now(), { clientId });
    const [event] = await store.claimCallbackEvents({ clientId, owner: 'test', limit: 10, leaseMs: 1_000, now: Date.now() });
    await store.buryCallbackEvents([event!.eventId], 'HTTP 503', Date.now());
    return event!.eventId;
  } finally {
    await store.close();
  }
}

// Each test spawns the CLI several times: slow on a loaded two-core machine.
describe('smsgate client callback', { timeout: 180_000 }, () => {
  it('refuses a private address without SMSGATE_CALLBACK_ALLOW_PRIVATE, naming why', async () => {
    const human = await runCli(['client', 'callback', 'acme', '--url', 'http://127.0.0.1:9/cb'], env);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/127\.0\.0\.1 is loopback: refused unless SMSGATE_CALLBACK_ALLOW_PRIVATE=true/);
    const json = await runJson(['client', 'callback', 'acme', '--url', 'http://localhost:9/cb'], env, 1);
    expect(json).toMatchObject({ error_code: 'CALLBACK_URL_REFUSED' });
    const listed = await runJson(['client', 'list'], env);
    expect(listed.clients.find((c: { client_id: string }) => c.client_id === 'acme')).toMatchObject({ callback_url: null, events: null });
  });

  it('with the opt-in, sets it and prints exactly client_id, callback_url, events and a fresh secret', async () => {
    const first = await runJson(['client', 'callback', 'acme', '--url', 'http://127.0.0.1:9/cb', '--events', 'final'], privateOk);
    expect(Object.keys(first).sort()).toEqual(['callback_secret', 'callback_url', 'client_id', 'events']);
    expect(first).toMatchObject({ client_id: 'acme', callback_url: 'http://127.0.0.1:9/cb', events: 'final' });
    expect(first.callback_secret).toMatch(SECRET_SHAPE);
    const human = await runCli(['client', 'callback', 'acme', '--url', 'http://127.0.0.1:9/cb'], privateOk);
    expect(human.code).toBe(0);
    const secret = /callback_secret (\S+)/.exec(human.stdout)?.[1];
    expect(secret).toMatch(SECRET_SHAPE);
    expect(secret).not.toBe(first.callback_secret);
    expect(human.stdout).toMatch(/shown only this once/);
    expect(human.stdout).toMatch(/events all/);
  });

  it('never shows the secret again: not in client list (text or JSON), not on stderr', async () => {
    const set = await runCli(['client', 'callback', 'beta', '--url', 'http://10.1.2.3/hook', '--json'], privateOk);
    const secret = JSON.parse(set.stdout.trim()).callback_secret as string;
    expect(set.stderr).not.toContain(secret);
    const [text, json] = await Promise.all([runCli(['client', 'list'], env), runCli(['client', 'list', '--json'], env)]);
    for (const result of [text, json]) {
      expect(result.code).toBe(0);
      expect(result.stdout + result.stderr).not.toContain(secret);
    }
    expect(text.stdout).toMatch(/beta\tenabled\t\S+\tcallback http:\/\/10\.1\.2\.3\/hook \(all\)/);
    expect(JSON.parse(json.stdout.trim()).clients.find((c: { client_id: string }) => c.client_id === 'beta')).toEqual({
      client_id: 'beta',
      enabled: true,
      created_at: expect.any(String),
      callback_url: 'http://10.1.2.3/hook',
      events: 'all',
    });
  });

  it('refuses bad schemes, credentials, unknown events choices and unknown clients, even with the opt-in', async () => {
    expect(await runJson(['client', 'callback', 'acme', '--url', 'ftp://example.com/x'], privateOk, 1)).toMatchObject({ error_code: 'CALLBACK_URL_REFUSED' });
    expect(await runJson(['client', 'callback', 'acme', '--url', 'http://u:p@127.0.0.1/'], privateOk, 1)).toMatchObject({ error_code: 'CALLBACK_URL_REFUSED' });
    expect(await runJson(['client', 'callback', 'acme', '--url', 'http://127.0.0.1/', '--events', 'some'], privateOk, 1)).toMatchObject({ error_code: 'INVALID_REQUEST' });
    expect(await runJson(['client', 'callback', 'nobody', '--url', 'http://127.0.0.1/'], privateOk, 1)).toMatchObject({ error_code: 'CLIENT_NOT_FOUND' });
    expect(await runJson(['client', 'callback', 'acme'], privateOk, 1)).toMatchObject({ error_code: 'INVALID_REQUEST' });
  });

  it('--clear removes it', async () => {
    await runJson(['client', 'callback', 'acme', '--url', 'http://127.0.0.1:9/cb'], privateOk);
    expect(await runJson(['client', 'callback', 'acme', '--clear'], env)).toEqual({ client_id: 'acme', callback_url: null });
    const listed = await runJson(['client', 'list'], env);
    expect(listed.clients.find((c: { client_id: string }) => c.client_id === 'acme')).toMatchObject({ callback_url: null, events: null });
  });
});

describe('smsgate callback failures | retry', { timeout: 180_000 }, () => {
  it('lists dead events (all or one client) and makes them owed again', async () => {
    await runJson(['client', 'callback', 'acme', '--url', 'http://127.0.0.1:9/cb'], privateOk);
    await runJson(['client', 'callback', 'beta', '--url', 'http://127.0.0.1:9/cb'], privateOk);
    const acmeEvent = await deadEvent('acme', 'CLI-A1');
    const betaEvent = await deadEvent('beta', 'CLI-B1');

    const all = await runJson(['callback', 'failures'], env);
    expect(all.events.map((e: { event_id: string }) => e.event_id).sort()).toEqual([acmeEvent, betaEvent].sort());
    const acme = await runJson(['callback', 'failures', '--client', 'acme'], env);
    expect(acme.events).toEqual([expect.objectContaining({ event_id: acmeEvent, client_id: 'acme', status: 'sent', attempts: 1, last_error: 'HTTP 503' })]);
    const text = await runCli(['callback', 'failures', '--client', 'beta'], env);
    expect(text.stdout).toContain(`${betaEvent}\tbeta\tsent\tattempts 1`);

    expect(await runJson(['callback', 'retry', '--client', 'acme'], env)).toEqual({ revived: 1 });
    expect((await runJson(['callback', 'failures'], env)).events.map((e: { event_id: string }) => e.event_id)).toEqual([betaEvent]);
    expect((await runCli(['callback', 'retry'], env)).stdout).toMatch(/^1 dead callback event/);
    expect(await runJson(['callback', 'failures'], env)).toEqual({ events: [] });
    expect((await runCli(['callback', 'failures'], env)).stdout).toContain('(no dead callback events)');
  });
});
