import { afterEach, expect, it } from 'vitest';
import type { Carrier, DeliveryReceipt, MessageQuery, QueryAnswer, ReceiptListener } from '../../src/carrier/carrier.js';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { capturingLogger } from '../carrier/log-capture.js';

/**
 * How the dispatcher decides receipts (domain/receipt-id-style.ts) with a store: held receipts
 * are not acknowledged (their listener promise stays pending) until applied or dropped, and
 * unknown and duplicate receipts are counted and logged at debug, changing nothing.
 */

/** Answers submits with the ids it is given, in order: `id` on connection `a`, or `id@connection`. */
function scriptedCarrier(ids: string[], answers: Record<string, QueryAnswer> = {}): Carrier & { receipt: ReceiptListener; asked: MessageQuery[] } {
  let listener: ReceiptListener | undefined;
  const asked: MessageQuery[] = [];
  return {
    asked,
    async start(onReceipt) {
      listener = onReceipt;
    },
    capacity: () => 10,
    async submit() {
      const [id, connection = 'a'] = ids.shift()!.split('@');
      return { carrierMessageIds: [id!], connection };
    },
    async queryMessage(query) {
      asked.push(query);
      return answers[query.carrierMessageId] ?? 'unsupported';
    },
    async stop() {},
    receipt: (receipt) => listener!(receipt),
  };
}

const receipt = (carrierMessageId: string, state = 'DELIVRD', connection = 'a'): DeliveryReceipt => ({ carrierMessageId, state, errorCode: '0', connection });
const uid = (n: number): string => `01a21000-0000-7000-8000-${String(n).padStart(12, '0')}`;

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function sentMessages(submittedIds: string[], holdMs = 60_000, answers: Record<string, QueryAnswer> = {}) {
  const store = SqliteStore.open(':memory:');
  const carrier = scriptedCarrier([...submittedIds], answers);
  const { logger, lines } = capturingLogger();
  const dispatcher = new Dispatcher({ store, carrier, logger, owner: 'd1', leaseMs: 60_000, pollMs: 10, validityMs: 3_600_000, receiptHoldMs: holdMs });
  stops.push(async () => {
    await dispatcher.stop();
    await store.close();
  });
  const uids = submittedIds.map((_, i) => uid(i + 1));
  await store.insertMessages(uids.map((smsUid, i) => ({ smsUid, clientId: 'c1', templetId: 't', phoneNumber: '+8613800000001', text: 'x', createdAt: 1_000 + i })));
  await dispatcher.start();
  await expect.poll(async () => (await Promise.all(uids.map((u) => store.getMessage(u)))).every((m) => m?.status === 'sent')).toBe(true);
  const status = async (n: number) => (await store.getMessage(uids[n - 1]!))?.status;
  return { store, carrier, dispatcher, lines, status };
}

const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  return done;
};

it('holds an ambiguous receipt unacknowledged until the style is learned, then applies it in that style', async () => {
  // Ids answered in decimal, receipts in hex: "10" is message 16's receipt, yet message 10 is open too.
  const { carrier, dispatcher, status } = await sentMessages(['10', '16', '26']);
  const held = carrier.receipt(receipt('10'));
  expect(await settled(held)).toBe(false);
  expect(await status(1)).toBe('sent');
  expect(await status(2)).toBe('sent');
  await carrier.receipt(receipt('1a')); // only message 26 reads so: teaches hex-of-decimal
  await held;
  expect([await status(1), await status(2), await status(3)]).toEqual(['sent', 'delivered', 'delivered']);
  expect(dispatcher.receiptStats).toMatchObject({ applied: 2, held: 1 });
});

it('after its hold, applies a receipt to the one reading naming a `sent` message of its own connection', async () => {
  const { carrier, dispatcher, status } = await sentMessages(['10', '16@b'], 100);
  const started = Date.now();
  await carrier.receipt(receipt('10'));
  expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  expect([await status(1), await status(2)]).toEqual(['delivered', 'sent']);
  expect(dispatcher.receiptStats).toMatchObject({ applied: 1, held: 1 });
});

it('after its hold, drops a receipt whose readings both name `sent` messages of its connection', async () => {
  const { carrier, dispatcher, status } = await sentMessages(['10', '16'], 100);
  await carrier.receipt(receipt('10'));
  expect([await status(1), await status(2)]).toEqual(['sent', 'sent']);
  expect(dispatcher.receiptStats).toMatchObject({ applied: 0, held: 1, ambiguous: 1 });
});

it('on stop, refuses a held receipt so that the SMSC sends it again', async () => {
  const { carrier, dispatcher, status } = await sentMessages(['10', '16']);
  const held = carrier.receipt(receipt('10'));
  expect(await settled(held)).toBe(false);
  const refused = held.then(
    () => 'acknowledged',
    () => 'refused',
  );
  await dispatcher.stop();
  expect(await refused).toBe('refused');
  expect([await status(1), await status(2)]).toEqual(['sent', 'sent']);
});

it('counts and logs at debug a duplicate and an unknown receipt, changing nothing', async () => {
  const { carrier, dispatcher, lines, status } = await sentMessages(['abc', 'def']);
  await carrier.receipt(receipt('abc', 'UNDELIV'));
  expect(await status(1)).toBe('error_undeliverable');
  await carrier.receipt(receipt('abc', 'DELIVRD'));
  await carrier.receipt(receipt('fff', 'DELIVRD', 'b'));
  expect([await status(1), await status(2)]).toEqual(['error_undeliverable', 'sent']);
  expect(dispatcher.receiptStats).toMatchObject({ applied: 1, duplicate: 1, unknown: 1 });
  const logged = lines.filter((l) => l.carrierMessageId === 'abc' || l.carrierMessageId === 'fff');
  expect(logged.map((l) => [l.level, l.carrierMessageId, l.connection])).toEqual([
    [20, 'abc', 'a'],
    [20, 'fff', 'b'],
  ]);
});

it('still applies a receipt that came before its submit was recorded, once it is', async () => {
  const { store, carrier, dispatcher } = await sentMessages(['1b']);
  await carrier.receipt(receipt('2c'));
  expect(dispatcher.receiptStats.unknown).toBe(1);
  await store.insertMessages([{ smsUid: uid(9), clientId: 'c1', templetId: 't', phoneNumber: '+8613800000001', text: 'x', createdAt: 5_000 }]);
  await store.markSent(uid(9), [{ partNo: 1, carrierMessageId: '2C', connection: 'a' }], 6_000);
  expect((await store.getMessage(uid(9)))?.status).toBe('delivered');
});

it('asks the SMSC, rather than guessing, about a receipt the learned style reads as no message', async () => {
  // The connection writes ids as answered (learned from "abc"); a receipt "241" names nothing so,
  // but reads as 0xf1, message 2's id: that message is asked about, and the SMSC's answer applied.
  // Message 3 (another connection) is not asked about.
  const { carrier, dispatcher, status } = await sentMessages(['abc', '00F1', 'f2@b'], 60_000, { '00F1': { state: 'DELIVRD', errorCode: '0' } });
  await carrier.receipt(receipt('abc'));
  expect(dispatcher.receiptStats).toMatchObject({ applied: 1 });
  await carrier.receipt(receipt('241'));
  await carrier.receipt(receipt('242'));
  expect(carrier.asked).toEqual([{ carrierMessageId: '00F1', connection: 'a', phoneNumber: '+8613800000001' }]);
  expect([await status(1), await status(2), await status(3)]).toEqual(['delivered', 'delivered', 'sent']);
  expect(dispatcher.receiptStats).toMatchObject({ applied: 1, unknown: 2, askedInstead: 1 });
});
