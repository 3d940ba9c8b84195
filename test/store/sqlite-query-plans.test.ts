import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/sqlite/schema.js';
import { prepareStatements } from '../../src/store/sqlite/statements.js';

// The queue and the expiry sweep must read the small partial indexes of open messages, never
// scan every message ever sent: SQLite uses a partial index only when the query's own terms
// imply its WHERE (an `IN (...)` over two statuses did not, and the claim scanned the table).
function plan(sql: string, params: Record<string, unknown> | unknown[]): string {
  const db = new Database(':memory:');
  for (const migration of MIGRATIONS) db.exec(migration);
  const statement = prepareStatements(db);
  const source = (statement as unknown as Record<string, { source: string }>)[sql]!.source;
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${source}`).all(params as never) as { detail: string }[];
  db.close();
  return rows.map((r) => r.detail).join(' | ');
}

it('claims queued messages through the queue index', () => {
  const detail = plan('claim', { owner: 'd', until: 1, now: 1, limit: 10 });
  expect(detail).toContain('messages_queue');
  expect(detail).not.toMatch(/SCAN messages(?! USING)/);
});

it('expires through the indexes of queued and of sent messages', () => {
  expect(plan('expireQueued', [1, 1])).toContain('messages_queue');
  expect(plan('expireSent', [1, 1])).toContain('messages_awaiting_receipt');
});

it('looks for messages to ask about (query_sm) through the index of sent messages', () => {
  const detail = plan('claimReceiptQueries', { now: 1, sentBefore: 1, askedBefore: 1, limit: 10 });
  expect(detail).toContain('messages_awaiting_receipt');
  expect(detail).not.toMatch(/SCAN messages(?! USING)/);
});

it('finds a receipt\'s parts through the carrier id indexes of messages and of parts', () => {
  expect(plan('findSingleParts', ['ab'])).toContain('messages_carrier_id');
  expect(plan('findMultiParts', ['ab'])).toContain('message_parts_carrier_id');
  for (const detail of [plan('findSingleParts', ['ab']), plan('findMultiParts', ['ab'])]) expect(detail).not.toMatch(/SCAN/);
});

it('finds due callback events per client and dead ones through the partial outbox indexes', () => {
  const claim = plan('claimCallbacks', { owner: 'd', until: 1, now: 1, clientId: 'c', limit: 10 });
  expect(claim).toContain('callback_outbox_due');
  expect(claim).not.toMatch(/SCAN callback_outbox(?! USING)/);
  expect(plan('clientsWithDueCallbacks', { now: 1 })).toContain('callback_outbox_due');
  expect(plan('deadCallbacks', { clientId: 'c', limit: 10 })).toContain('callback_outbox_dead');
  expect(plan('deleteDeadCallbacksBefore', [1])).toContain('callback_outbox_dead');
  // Acknowledged events stay in the table (the message view's history): none of the sender's
  // queries, nor the backlog count, may read them.
  expect(plan('hastenCallbacks', { clientId: 'c', now: 1 })).toContain('callback_outbox_due');
  const backlog = plan('callbackBacklog', {});
  expect(backlog).toContain('callback_outbox_due');
  expect(backlog).toContain('callback_outbox_dead');
  expect(backlog).not.toMatch(/SCAN callback_outbox(?! USING)/);
  expect(plan('messageCallbacks', ['u'])).toContain('callback_outbox_message');
  expect(plan('deleteAcknowledgedCallbacks', ['u'])).toContain('callback_outbox_message');
  // The event INSERT looks the message and its client up by key, whatever the table sizes.
  expect(plan('insertCallbackEvent', { eventId: 'e', smsUid: 'u', status: 'sent', errorCode: '0', sequence: 1, at: 1, wanted: '["all"]' })).not.toMatch(
    /SCAN (messages|clients)\b/,
  );
});
