import { pino } from 'pino';
import { expect, it } from 'vitest';
import { CarrierSubmitError, type Carrier, type ReceiptListener } from '../../src/carrier/carrier.js';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import { Housekeeper } from '../../src/dispatch/housekeeper.js';
import { StatusEvents } from '../../src/dispatch/status-events.js';
import type { StatusTransition } from '../../src/domain/status-transition.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const REJECTED_NUMBER = '+8613800000009';
const logger = pino({ level: 'silent' });

/** Accepts every submit as id F<n>, except to REJECTED_NUMBER, which it refuses for good. */
function fakeCarrier(): Carrier & { receipt: ReceiptListener } {
  let listener: ReceiptListener | undefined;
  let next = 0;
  return {
    async start(onReceipt) {
      listener = onReceipt;
    },
    capacity: () => 10,
    async submit(message) {
      if (message.phoneNumber === REJECTED_NUMBER) throw new CarrierSubmitError('permanent', '11', 'rejected');
      next += 1;
      return { carrierMessageIds: [`F${next}`], connection: 'fake' };
    },
    async queryMessage() {
      return 'unsupported' as const;
    },
    async stop() {},
    receipt: (receipt) => listener!(receipt),
  };
}

const message = (smsUid: string, phoneNumber: string) => ({ smsUid, clientId: 'c1', templetId: 't', phoneNumber, text: 'code 1', createdAt: 1_000 });

it('publishes every transition its store writes made: sent, rejected, delivered, expired', async () => {
  const store = SqliteStore.open(':memory:');
  const events = new StatusEvents(logger);
  const heard: StatusTransition[] = [];
  events.subscribe((transitions) => void heard.push(...transitions));
  const carrier = fakeCarrier();
  const dispatcher = new Dispatcher({ store, carrier, logger, owner: 'd1', leaseMs: 60_000, pollMs: 10, validityMs: 60_000, events, now: () => 2_000 });
  const accepted = '01a21000-0000-7000-8000-000000000001';
  const refused = '01a21000-0000-7000-8000-000000000002';
  await store.insertMessages([message(accepted, '+8613800000001'), message(refused, REJECTED_NUMBER)]);
  await dispatcher.start();
  await expect.poll(() => heard.length).toBe(2);
  await carrier.receipt({ carrierMessageId: 'F1', state: 'DELIVRD', errorCode: '0', connection: 'fake' });
  await dispatcher.stop();

  expect(heard.map((t) => [t.smsUid, t.from, t.to, t.errorCode]).sort()).toEqual(
    [
      [accepted, 'queuing', 'sent', '0'],
      [refused, 'queuing', 'error_rejected', '11'],
      [accepted, 'sent', 'delivered', '0'],
    ].sort(),
  );
  expect(await store.getMessage(refused)).toMatchObject({ status: 'error_rejected', attempts: 1 });

  const expiring = '01a21000-0000-7000-8000-000000000003';
  await store.insertMessages([message(expiring, '+8613800000003')]);
  const keeper = new Housekeeper({ store, logger, validityMs: 500, retentionMs: 60_000, events, now: () => 2_000 });
  expect(await keeper.expire()).toBe(1);
  expect(heard.at(-1)).toEqual({ smsUid: expiring, clientId: 'c1', from: 'queuing', to: 'error_expired', errorCode: '0', at: 2_000 });
  await store.close();
});

it('records every outcome just the same when nobody listens', async () => {
  const store = SqliteStore.open(':memory:');
  const carrier = fakeCarrier();
  const dispatcher = new Dispatcher({ store, carrier, logger, owner: 'd1', leaseMs: 60_000, pollMs: 10, validityMs: 60_000, now: () => 2_000 });
  const accepted = '01a21000-0000-7000-8000-000000000011';
  const refused = '01a21000-0000-7000-8000-000000000012';
  await store.insertMessages([message(accepted, '+8613800000001'), message(refused, REJECTED_NUMBER)]);
  await dispatcher.start();
  await expect.poll(async () => (await store.getMessage(accepted))?.status).toBe('sent');
  await expect.poll(async () => (await store.getMessage(refused))?.status).toBe('error_rejected');
  await carrier.receipt({ carrierMessageId: 'F1', state: 'DELIVRD', errorCode: '0', connection: 'fake' });
  await dispatcher.stop();
  expect((await store.getMessage(accepted))?.status).toBe('delivered');
  await store.close();
});
