import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedEvent } from './receiver.js';
import { TestReceiver } from './receiver.js';
import { eventually, sendMany } from './send-many.js';
import { T1_BODY } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

/**
 * Callbacks end to end in one process over SQLite: the real gateway (API, dispatcher, SMPP to the
 * simulator, the sender) and real HTTP receivers on random ports. One gateway for the file; the
 * receiver that fails for 30 s runs from the start, beside the other tests, and is checked last.
 */
let gw: TestGateway;
const receivers: TestReceiver[] = [];
const FLAKY_FOR_MS = 30_000;
let flakyUntil = 0;
let flakyUids: string[] = [];
let flaky: TestReceiver;

async function clientWithCallback(clientId: string, receiver: TestReceiver, events: 'all' | 'final' = 'all'): Promise<string> {
  const passcode = await gw.addClient(clientId);
  const secret = `secret-of-${clientId}`;
  await gw.store.setClientCallback(clientId, { url: receiver.url, events, secret });
  receiver.secretFor(clientId, secret);
  await gw.gateway.refreshCatalog();
  return passcode;
}

async function newReceiver(): Promise<TestReceiver> {
  const receiver = await new TestReceiver().start();
  receivers.push(receiver);
  return receiver;
}

beforeAll(async () => {
  gw = await startTestGateway({
    SMSGATE_PER_NUMBER_INTERVAL_S: '0',
    SMSGATE_SIM_DLR_MS: '20',
    SMSGATE_CALLBACK_ALLOW_PRIVATE: 'true',
    SMSGATE_CALLBACK_LINGER_MS: '20',
    // Long, so the receiver that never answers holds its slots through the whole fairness test.
    SMSGATE_CALLBACK_TIMEOUT_MS: '60000',
  });
  await gw.addTemplate('t1', T1_BODY);
  flaky = await newReceiver();
  flakyUntil = Date.now() + FLAKY_FOR_MS;
  flaky.answer = () => (Date.now() < flakyUntil ? 500 : 200);
  const passcode = await clientWithCallback('flaky', flaky);
  flakyUids = await sendMany(gw.url, 'flaky', passcode, 50, '1390013');
}, 60_000);

afterAll(async () => {
  await gw?.close();
  for (const receiver of receivers) await receiver.stop();
});

/** Per sms_uid, its events in sequence order. */
function byMessage(events: Iterable<ReceivedEvent>): Map<string, ReceivedEvent[]> {
  const grouped = new Map<string, ReceivedEvent[]>();
  for (const e of events) grouped.set(e.sms_uid, [...(grouped.get(e.sms_uid) ?? []), e]);
  for (const list of grouped.values()) list.sort((a, b) => a.sequence - b.sequence);
  return grouped;
}

describe('status callbacks over SQLite', () => {
  it('every status change of 2,000 messages arrives, signed, with unique event ids and sequence in status order', async () => {
    const receiver = await newReceiver();
    const passcode = await clientWithCallback('bulk', receiver);
    const uids = await sendMany(gw.url, 'bulk', passcode, 2_000, '1380013');
    await eventually(() => receiver.unique().size >= 4_000, 90_000, 'all 4,000 events (sent and delivered) acknowledged', () => `(${receiver.unique().size} so far)`);
    expect(receiver.badSignatures).toBe(0);
    const unique = receiver.unique();
    expect(unique.size).toBe(4_000);
    const messages = byMessage(unique.values());
    expect(new Set(messages.keys())).toEqual(new Set(uids));
    for (const [uid, events] of messages) {
      expect(events.map((e) => [e.sequence, e.status, e.event_id])).toEqual([
        [1, 'sent', `${uid}.1`],
        [2, 'delivered', `${uid}.2`],
      ]);
      expect(Date.parse(events[0]!.occurred_at)).toBeLessThanOrEqual(Date.parse(events[1]!.occurred_at));
      for (const e of events) {
        expect(e).toMatchObject({ client_id: 'bulk', error_code: '0', templet_id: 't1', parts: 1 });
        expect(e.phone_number).toMatch(/^\+86138001\d{5}$/);
        expect(e.occurred_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
    }
    // Batched: far fewer requests than events, none above the default batch of 100.
    const requests = receiver.requests.filter((r) => r.answer !== 'hang');
    expect(Math.max(...requests.map((r) => r.events))).toBeLessThanOrEqual(100);
    expect(requests.length).toBeLessThan(4_000);
    const duplicates = receiver.duplicates();
    if (duplicates.size > 0) console.log(`duplicates (event_id -> times): ${JSON.stringify(Object.fromEntries(duplicates))}`);
  }, 120_000);

  it('--events final: only the final status, keeping its place in the sequence', async () => {
    const receiver = await newReceiver();
    const passcode = await clientWithCallback('finals', receiver, 'final');
    const uids = await sendMany(gw.url, 'finals', passcode, 20, '1370013');
    await eventually(() => receiver.unique().size >= 20, 30_000, 'the 20 final events');
    await new Promise((resolve) => setTimeout(resolve, 500)); // room for an unwanted `sent` to show up
    expect([...receiver.unique().values()].map((e) => [e.status, e.sequence, e.event_id]).sort()).toEqual(uids.map((uid) => ['delivered', 2, `${uid}.2`]).sort());
  }, 60_000);

  it("a receiver that never answers does not slow another client's callbacks, nor the sending", async () => {
    const dead = await newReceiver();
    dead.answer = () => 'hang';
    const live = await newReceiver();
    const deadPasscode = await clientWithCallback('dead', dead);
    const livePasscode = await clientWithCallback('live', live);
    const deadUids = await sendMany(gw.url, 'dead', deadPasscode, 300, '1360013');
    await eventually(() => dead.requests.length >= 4, 30_000, "the dead receiver's 4 slots taken");
    const liveUids = await sendMany(gw.url, 'live', livePasscode, 300, '1350013');
    await eventually(() => live.unique().size >= 600, 45_000, "the live client's 600 events", () => `(${live.unique().size})`);
    // Everything above happened while the dead receiver held its slots, none timed out yet
    // (60 s): had the sender waited on it, the live client would have had nothing.
    expect(dead.requests).toHaveLength(4);
    expect(new Set([...live.unique().values()].map((e) => e.sms_uid))).toEqual(new Set(liveUids));
    // The dead receiver's messages went out and were delivered all the same.
    for (const uid of deadUids.slice(0, 20)) expect((await gw.store.getMessage(uid))?.status).toBe('delivered');
  }, 120_000);

  it('a receiver answering 500 for 30 s, then 200, gets every event', async () => {
    await eventually(() => flaky.unique().size >= 100, FLAKY_FOR_MS + 90_000, 'the flaky receiver got all 100 events', () => `(${flaky.unique().size})`);
    expect(new Set([...flaky.unique().values()].map((e) => e.sms_uid))).toEqual(new Set(flakyUids));
    const failed = flaky.requests.filter((r) => r.answer === 500);
    expect(failed.length).toBeGreaterThan(1); // it was tried again while failing, with backoff...
    expect(failed.length).toBeLessThan(60); // ...not hammered
    expect(flaky.requests.filter((r) => r.answer === 200).every((r) => r.at >= flakyUntil)).toBe(true);
    expect(flaky.badSignatures).toBe(0);
  }, FLAKY_FOR_MS + 120_000);
});
