import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, runJson, startServe, tempDir, type ServeProcess } from '../support/cli.js';
import { TestReceiver } from './receiver.js';
import { eventually, sendMany } from './send-many.js';

const tmp = tempDir('smsgate-callbacks-failures-');
const running: ServeProcess[] = [];
const receiver = new TestReceiver();
afterAll(async () => {
  for (const server of running) await server.stop('SIGKILL');
  await receiver.stop();
  tmp.cleanup();
});

/**
 * A private address without the opt-in, refused when set and again when sent; the events that
 * died of it listed by `callback failures` and sent by `callback retry` once the gateway may
 * reach the receiver.
 */
describe('refused callback URLs, dead events, and retry', () => {
  const db = join(tmp.dir, 'failures.db');
  const base = {
    SMSGATE_DB: db,
    SMSGATE_PER_NUMBER_INTERVAL_S: '0',
    SMSGATE_SIM_DLR_MS: '20',
    SMSGATE_LOG_LEVEL: 'warn',
    SMSGATE_CALLBACK_LINGER_MS: '20',
    // Small: the events die within seconds instead of a day.
    SMSGATE_CALLBACK_MAX_AGE_S: '2',
  };
  let passcode = '';
  let secret = '';
  let uids: string[] = [];

  it('a loopback URL is refused when set without SMSGATE_CALLBACK_ALLOW_PRIVATE', async () => {
    await receiver.start();
    ({ passcode } = await runJson(['client', 'add', 'shop'], base));
    await runJson(['template', 'add', 't1', '--text', 'code ${code}'], base);
    const refused = await runCli(['client', 'callback', 'shop', '--url', receiver.url], base);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr + refused.stdout).toMatch(/127\.0\.0\.1.*SMSGATE_CALLBACK_ALLOW_PRIVATE/);
    // Set where it is allowed (an on-premise CLI): the gateway below, without the opt-in, still refuses it.
    const set = await runJson(['client', 'callback', 'shop', '--url', receiver.url], { ...base, SMSGATE_CALLBACK_ALLOW_PRIVATE: 'true' });
    secret = set.callback_secret;
    receiver.secretFor('shop', secret);
  });

  it('…and again when sent: nothing reaches the receiver, the events die and `callback failures` lists them', async () => {
    const gateway = await startServe(base);
    running.push(gateway);
    uids = await sendMany(gateway.url, 'shop', passcode, 10, '1380013');
    const failures = async () => (await runJson(['callback', 'failures', '--client', 'shop'], base)).events as any[];
    await eventually(async () => (await failures()).length === 20, 30_000, 'the 20 events (sent, delivered) dead');
    const dead = await failures();
    expect(new Set(dead.map((e) => e.event_id))).toEqual(new Set(uids.flatMap((uid) => [`${uid}.1`, `${uid}.2`])));
    for (const event of dead) {
      expect(event.client_id).toBe('shop');
      expect(event.last_error).toMatch(/^refused: .*127\.0\.0\.1/);
      expect(event.attempts).toBeGreaterThanOrEqual(1);
    }
    expect(receiver.requests).toHaveLength(0);
    // The failures were logged with the URL's origin only, and never the secret.
    const log = gateway.stderr() + gateway.stdout();
    expect(log).toContain(`"origin":"http://127.0.0.1:${receiver.port}"`);
    expect(log).not.toContain(receiver.url);
    expect(log).not.toContain(secret);
    expect(await gateway.stop()).toBe(0);
  }, 60_000);

  it('`callback retry` sends them again once the gateway may reach the receiver', async () => {
    const gateway = await startServe({ ...base, SMSGATE_CALLBACK_ALLOW_PRIVATE: 'true', SMSGATE_CALLBACK_MAX_AGE_S: '86400' });
    running.push(gateway);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // dead events stay dead, whatever the gateway
    expect(receiver.requests).toHaveLength(0);
    const retried = await runJson(['callback', 'retry', '--client', 'shop'], base);
    expect(retried).toEqual({ revived: 20 });
    await eventually(() => receiver.unique().size === 20, 30_000, 'the 20 revived events received');
    expect(new Set(receiver.unique().keys())).toEqual(new Set(uids.flatMap((uid) => [`${uid}.1`, `${uid}.2`])));
    expect(receiver.badSignatures).toBe(0);
    expect((await runJson(['callback', 'failures'], base)).events).toEqual([]);
  }, 60_000);
});
