import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import type { Carrier, MessageQuery, QueryAnswer } from '../../src/carrier/carrier.js';
import { ReceiptQueries } from '../../src/dispatch/receipt-queries.js';
import { StatusEvents } from '../../src/dispatch/status-events.js';
import type { StatusTransition } from '../../src/domain/status-transition.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const logger = pino({ level: 'silent' });
const uid = (n: number): string => `01a21000-0000-7000-8000-${String(n).padStart(12, '0')}`;

/** Answers query_sm from a table by the id as answered; records every query. */
function queryingCarrier(answers: Record<string, QueryAnswer>): Carrier & { asked: MessageQuery[] } {
  const asked: MessageQuery[] = [];
  return {
    asked,
    async start() {},
    capacity: () => 0,
    async submit() {
      throw new Error('not used');
    },
    async queryMessage(query) {
      asked.push(query);
      return answers[query.carrierMessageId] ?? 'unknown';
    },
    async stop() {},
  };
}

it('asks about messages long in `sent`, by the id as answered, and applies the answer as a receipt', async () => {
  const store = SqliteStore.open(':memory:');
  const sent = [
    { n: 1, id: '00AB', connection: 'east' },
    { n: 2, id: '00AC', connection: 'east' },
    { n: 3, id: 'X1', connection: 'west' },
    { n: 4, id: 'X2', connection: 'west' },
    { n: 5, id: 'Y1', connection: 'east' },
  ];
  for (const { n, id, connection } of sent) {
    await store.insertMessages([{ smsUid: uid(n), clientId: 'c1', templetId: 't', phoneNumber: '+8613800000001', text: 'x', createdAt: 1_000 }]);
    await store.markSent(uid(n), [{ partNo: 1, carrierMessageId: id, connection }], n === 5 ? 9_500 : 2_000);
  }
  const carrier = queryingCarrier({
    '00AB': { state: 'DELIVRD', errorCode: '0' },
    '00AC': { state: 'ENROUTE', errorCode: '0' },
    X1: 'unsupported',
    X2: 'unsupported',
  });
  const events = new StatusEvents(logger);
  const heard: StatusTransition[] = [];
  events.subscribe((transitions) => void heard.push(...transitions));
  let now = 10_000;
  const queries = new ReceiptQueries({ store, carrier, logger, events, queryAfterMs: 1_000, askAgainMs: 5_000, now: () => now });

  await queries.scan();
  // Message 5 is not in `sent` long enough yet. Both west parts are asked in the same look.
  expect(carrier.asked.map((q) => q.carrierMessageId).sort()).toEqual(['00AB', '00AC', 'X1', 'X2']);
  expect(carrier.asked.find((q) => q.carrierMessageId === '00AB')).toEqual({ carrierMessageId: '00AB', connection: 'east', phoneNumber: '+8613800000001' });
  expect((await store.getMessage(uid(1)))?.status).toBe('delivered');
  expect((await store.getMessage(uid(2)))?.status).toBe('sent');
  expect(heard.map((t) => [t.smsUid, t.from, t.to])).toEqual([[uid(1), 'sent', 'delivered']]);

  carrier.asked.length = 0;
  now = 12_000;
  await queries.scan();
  expect(carrier.asked.map((q) => q.carrierMessageId)).toEqual(['Y1']); // the others were asked lately

  carrier.asked.length = 0;
  now = 20_000;
  await queries.scan();
  // Asked again after askAgainMs; the west connection, which does not take query_sm, is not.
  expect(carrier.asked.map((q) => q.carrierMessageId).sort()).toEqual(['00AC', 'Y1']);
  expect(queries.stats).toMatchObject({ answered: 1 });
  await store.close();
});

it('logs a message still open after its query with its sms_uid and client_id', async () => {
  const store = SqliteStore.open(':memory:');
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  await store.insertMessages([{ smsUid: uid(7), clientId: 'shop_01', templetId: 't', phoneNumber: '+8613800000007', text: 'x', createdAt: 1_000 }]);
  await store.markSent(uid(7), [{ partNo: 1, carrierMessageId: 'Z7', connection: 'east' }], 2_000);
  const carrier = queryingCarrier({ Z7: { state: 'ENROUTE', errorCode: '0' } });
  const queries = new ReceiptQueries({ store, carrier, logger: pino({ level: 'debug' }, sink), queryAfterMs: 1_000, now: () => 10_000 });
  await queries.scan();
  expect(lines.filter((line) => line.msg === 'receipt queries: no final state yet')).toEqual([expect.objectContaining({ smsUid: uid(7), clientId: 'shop_01', carrierMessageId: 'Z7' })]);
  await store.close();
});
