import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Carrier } from '../../src/carrier/carrier.js';
import type { SimulatorIdStyle } from '../../src/carrier/simulator/id-style.js';
import { startSimulator, type RunningSimulator } from '../../src/carrier/simulator/simulator.js';
import { createSmppCarrier } from '../../src/carrier/smpp/smpp-carrier.js';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import { ReceiptQueries } from '../../src/dispatch/receipt-queries.js';
import { StatusEvents } from '../../src/dispatch/status-events.js';
import type { MessageStatus } from '../../src/domain/message-status.js';
import type { StatusTransition } from '../../src/domain/status-transition.js';
import type { NewMessage } from '../../src/store/message-store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { withSchema } from '../store/postgres-schema.js';
import { describeIfPostgres } from '../support/services.js';
import { silentLogger, testConfig, waitFor } from '../carrier/helpers.js';

/**
 * Issue 12 items 1 and 2 over real SMPP: the simulator counts ids from 1 in each id style, so
 * all-digit receipt ids read as other messages' ids too; every message must still end with the
 * status its own receipt says, and no message may change but by its own receipt.
 */
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** Test numbers (docs/simulator.md) and the status their receipt gives. */
const OUTCOMES: [string, MessageStatus][] = [
  ['+12025550100', 'delivered'],
  ['+12025550104', 'error_undeliverable'],
  ['+12025550100', 'delivered'],
  ['+12025550105', 'error_expired'],
  ['+12025550106', 'error_rejected'],
  ['+12025550100', 'delivered'],
  ['+12025550112', 'error_unknown'],
];

interface Gateway {
  readonly sim: RunningSimulator;
  readonly store: Store;
  readonly carrier: Carrier;
  readonly dispatcher: Dispatcher;
  readonly heard: StatusTransition[];
}

async function gateway(sim: RunningSimulator, connectionExtra: Record<string, unknown> = {}, open: () => Promise<Store> = async () => SqliteStore.open(':memory:')): Promise<Gateway> {
  const store = await open();
  const carrier = createSmppCarrier(testConfig(sim.port, { window: 200, ...connectionExtra }), silentLogger);
  const events = new StatusEvents(silentLogger);
  const heard: StatusTransition[] = [];
  events.subscribe((transitions) => void heard.push(...transitions));
  const dispatcher = new Dispatcher({
    store,
    carrier,
    logger: silentLogger,
    owner: 'd1',
    leaseMs: 60_000,
    pollMs: 20,
    validityMs: 3_600_000,
    events,
    receiptHoldMs: 15_000,
  });
  cleanup.push(async () => {
    await dispatcher.stop();
    await store.close();
    await sim.close();
  });
  return { sim, store, carrier, dispatcher, heard };
}

function messages(count: number, outcome: (i: number) => [string, MessageStatus]): { rows: NewMessage[]; expected: Map<string, MessageStatus> } {
  const rows: NewMessage[] = [];
  const expected = new Map<string, MessageStatus>();
  for (let i = 0; i < count; i += 1) {
    const [phoneNumber, status] = outcome(i);
    const smsUid = randomUUID();
    rows.push({ smsUid, clientId: 'c1', templetId: 't', phoneNumber, text: `message ${i}`, createdAt: Date.now() });
    expected.set(smsUid, status);
  }
  return { rows, expected };
}

async function finalStatuses(store: Store, uids: Iterable<string>): Promise<Map<string, MessageStatus | undefined>> {
  const out = new Map<string, MessageStatus | undefined>();
  for (const uid of uids) out.set(uid, (await store.getMessage(uid))?.status);
  return out;
}

async function endsEachByItsOwnReceipt(idStyle: SimulatorIdStyle, open?: () => Promise<Store>): Promise<void> {
  const sim = await startSimulator({ idStyle, firstMessageId: 1, dlrDelayMs: 50 });
  const { store, dispatcher, heard } = await gateway(sim, {}, open);
  const { rows, expected } = messages(1000, (i) => OUTCOMES[i % OUTCOMES.length]!);
  await store.insertMessages(rows);
  await dispatcher.start();
  const done = async (): Promise<boolean> => {
    const statuses = await finalStatuses(store, expected.keys());
    return [...statuses.values()].every((s) => s !== 'queuing' && s !== 'sent');
  };
  for (const until = Date.now() + 20_000; !(await done()) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));

  const statuses = await finalStatuses(store, expected.keys());
  const wrong = [...expected].filter(([uid, status]) => statuses.get(uid) !== status);
  expect(wrong.length, `messages not ending as their receipt says: ${wrong.slice(0, 5).join(' ')}`).toBe(0);
  // None changed but by its own receipt: each made exactly queuing -> sent -> its final status.
  const byUid = new Map<string, string[]>();
  for (const t of heard) byUid.set(t.smsUid, [...(byUid.get(t.smsUid) ?? []), `${t.from}>${t.to}`]);
  for (const [uid, status] of expected) expect(byUid.get(uid), uid).toEqual(['queuing>sent', `sent>${status}`]);
  expect(dispatcher.receiptStats).toMatchObject({ applied: 1000, unknown: 0, duplicate: 0, ambiguous: 0 });
}

describe('receipt ids in every style, ids from 1', () => {
  const styles: SimulatorIdStyle[] = ['hex', 'dec', 'dec-in-answer-hex-in-receipt'];
  for (const idStyle of styles) {
    it(`ends each of 1,000 messages by its own receipt (${idStyle})`, { timeout: 30_000 }, () => endsEachByItsOwnReceipt(idStyle));
  }
});

await describeIfPostgres('receipt ids on PostgreSQL', (url) => {
  const schema = `smsgate_test_${randomUUID().replaceAll('-', '')}`;
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => admin.end());
  });
  it('ends each of 1,000 messages by its own receipt (dec-in-answer-hex-in-receipt)', { timeout: 30_000 }, () =>
    endsEachByItsOwnReceipt('dec-in-answer-hex-in-receipt', async () => PostgresStore.open(await withSchema(url, schema), { maxConnections: 8 })),
  );
});

describe('lost receipts', () => {
  it('finishes every message through query_sm when 30 % of receipts are dropped', { timeout: 30_000 }, async () => {
    // Ids from the clock: long hex ids, so no receipt is held and only query_sm finishes a message.
    const sim = await startSimulator({ dlrDelayMs: 50, dropReceipts: 0.3 });
    const { store, carrier, dispatcher } = await gateway(sim, { query_sm_per_second: 500 });
    const queries = new ReceiptQueries({ store, carrier, logger: silentLogger, queryAfterMs: 1_000, everyMs: 200, askAgainMs: 1_000, batch: 500 });
    cleanup.push(() => queries.stop());
    const { rows, expected } = messages(300, () => ['+12025550100', 'delivered']);
    await store.insertMessages(rows);
    await dispatcher.start();
    queries.start();
    await waitFor(() => (sim.stats.receiptsDropped > 0 ? true : undefined), 10_000, 'a dropped receipt');
    const started = Date.now();
    for (const until = started + 15_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      const statuses = await finalStatuses(store, expected.keys());
      if ([...statuses.values()].every((s) => s === 'delivered')) break;
    }
    const statuses = await finalStatuses(store, expected.keys());
    expect([...statuses.values()].filter((s) => s !== 'delivered')).toEqual([]);
    expect(sim.stats.receiptsDropped).toBeGreaterThan(30);
    expect(queries.stats.answered).toBe(sim.stats.receiptsDropped);
    expect(dispatcher.receiptStats).toMatchObject({ applied: 300 - sim.stats.receiptsDropped, held: 0 });
    expect(sim.stats.queries).toBeGreaterThanOrEqual(sim.stats.receiptsDropped);
  });
});
