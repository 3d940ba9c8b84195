import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/sqlite/schema.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database file in a directory of its own, removed after the test. */
function tempDatabasePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smsgate-migrate-'));
  dirs.push(dir);
  return join(dir, 'smsgate.db');
}

const UNCLAIMED = '01a21000-0000-7000-8000-000000000001';
const LEASED = '01a21000-0000-7000-8000-000000000002';
const RETRYING = '01a21000-0000-7000-8000-000000000003';

it('upgrades a version 1 database: its messages keep their queue position and leases', async () => {
  const path = tempDatabasePath();
  const old = new Database(path);
  old.exec(MIGRATIONS[0]!);
  old.pragma('user_version = 1');
  const insert = old.prepare(
    `INSERT INTO messages (sms_uid, client_id, templet_id, phone_number, text, created_at, due_at, lease_owner, lease_until, attempts)
     VALUES (?, 'c', 't', '+8613800138000', 'x', 1000, ?, ?, ?, ?)`,
  );
  insert.run(UNCLAIMED, 1_000, null, 0, 0);
  insert.run(LEASED, 1_000, 'dead-dispatcher', 50_000, 0);
  insert.run(RETRYING, 30_000, null, 0, 2);
  old.close();

  const store = SqliteStore.open(path);
  try {
    const peek = new Database(path, { readonly: true });
    const names = (peek.prepare('PRAGMA table_info(messages)').all() as { name: string }[]).map((c) => c.name);
    const leases = peek.prepare('SELECT sms_uid, lease_until FROM messages ORDER BY sms_uid').all();
    peek.close();
    expect(names).toContain('next_attempt_at');
    expect(names).not.toContain('due_at');
    expect(leases).toEqual([
      { sms_uid: UNCLAIMED, lease_until: null },
      { sms_uid: LEASED, lease_until: 50_000 },
      { sms_uid: RETRYING, lease_until: null },
    ]);
    // Due and unleased first; the leased one after its lease; the retry when it is due.
    expect((await store.claimQueued({ owner: 'd', leaseMs: 100_000, limit: 10, now: 20_000 })).map((m) => m.smsUid)).toEqual([UNCLAIMED]);
    expect((await store.claimQueued({ owner: 'd', leaseMs: 1, limit: 10, now: 60_000 })).map((m) => [m.smsUid, m.attempts])).toEqual([
      [LEASED, 0],
      [RETRYING, 2],
    ]);
    expect(await store.leaseOwners()).toEqual(['d']);
  } finally {
    await store.close();
  }
});

it('upgrades a version 3 database: single-part messages keep their carrier id in their row, receipts and queries still find them', async () => {
  const path = tempDatabasePath();
  const old = new Database(path);
  for (const migration of MIGRATIONS.slice(0, 3)) old.exec(migration);
  old.pragma('user_version = 3');
  const message = old.prepare(
    `INSERT INTO messages (sms_uid, client_id, templet_id, phone_number, text, status, part_count, attempts, created_at, sent_at, next_attempt_at)
     VALUES (?, 'c', 't', '+8613800138000', 'x', 'sent', ?, 1, 1000, 2000, 1000)`,
  );
  const part = old.prepare(`INSERT INTO message_parts (sms_uid, part_no, carrier_message_id, answered_id, connection) VALUES (?, ?, ?, ?, 'east')`);
  message.run(UNCLAIMED, 1);
  part.run(UNCLAIMED, 1, 'ab', '00AB');
  message.run(LEASED, 2);
  part.run(LEASED, 1, 'm1', 'M1');
  part.run(LEASED, 2, 'm2', 'M2');
  old.close();

  const store = SqliteStore.open(path);
  try {
    const peek = new Database(path, { readonly: true });
    const partRows = peek.prepare('SELECT sms_uid, part_no FROM message_parts ORDER BY part_no').all();
    peek.close();
    expect(partRows).toEqual([
      { sms_uid: LEASED, part_no: 1 },
      { sms_uid: LEASED, part_no: 2 },
    ]);
    const asked = await store.claimReceiptQueries({ sentBefore: 5_000, askedBefore: 5_000, limit: 10, now: 6_000 });
    expect(asked.map((p) => [p.smsUid, p.partNo, p.carrierMessageId, p.connection]).sort()).toEqual(
      [
        [UNCLAIMED, 1, '00AB', 'east'],
        [LEASED, 1, 'M1', 'east'],
        [LEASED, 2, 'M2', 'east'],
      ].sort(),
    );
    expect((await store.receiptMatches(['ab'])).map((m) => [m.part.smsUid, m.status, m.connection, m.part.carrierMessageId])).toEqual([
      [UNCLAIMED, 'sent', 'east', '00AB'],
    ]);
    await store.applyReceipt({ carrierMessageIds: ['ab'], status: 'delivered', errorCode: '0', at: 7_000 });
    await store.applyReceipt({ carrierMessageIds: ['m1'], status: 'delivered', errorCode: '0', at: 7_000 });
    await store.applyReceipt({ carrierMessageIds: ['m2'], status: 'error_undeliverable', errorCode: '13', at: 7_001 });
    expect(await store.getMessage(UNCLAIMED)).toMatchObject({ status: 'delivered', doneAt: 7_000 });
    expect(await store.getMessage(LEASED)).toMatchObject({ status: 'error_undeliverable', errorCode: '13' });
  } finally {
    await store.close();
  }
});

it('upgrades a version 9 database: its owed and dead callback events stay owed and dead', async () => {
  const path = tempDatabasePath();
  const old = new Database(path);
  for (const migration of MIGRATIONS.slice(0, 9)) old.exec(migration);
  old.pragma('user_version = 9');
  const event = old.prepare(
    `INSERT INTO callback_outbox (event_id, client_id, sms_uid, status, error_code, phone_number, templet_id, parts, sequence,
                                  occurred_at, owed_since, next_attempt_at, attempts, last_error, dead_at)
     VALUES (?, 'c', ?, 'sent', '0', '+8613800138000', 't', 1, 1, 1000, 1000, 1000, ?, ?, ?)`,
  );
  event.run(`${UNCLAIMED}.1`, UNCLAIMED, 0, null, null);
  event.run(`${LEASED}.1`, LEASED, 3, 'timeout', 4_000);
  old.close();

  const store = SqliteStore.open(path);
  try {
    expect(await store.callbackBacklog()).toEqual({ owed: 1, dead: 1 });
    const [claimed] = await store.claimCallbackEvents({ clientId: 'c', owner: 'o', limit: 10, leaseMs: 1_000, now: 5_000 });
    expect(claimed!.eventId).toBe(`${UNCLAIMED}.1`);
    await store.acknowledgeCallbackEvents([claimed!.eventId], 5_100);
    expect(await store.callbackEventsOfMessage(UNCLAIMED)).toEqual([expect.objectContaining({ attempts: 1, acknowledgedAt: 5_100 })]);
    expect((await store.deadCallbackEvents({ limit: 10 })).map((e) => e.eventId)).toEqual([`${LEASED}.1`]);
    expect(await store.callbackBacklog()).toEqual({ owed: 0, dead: 1 });
  } finally {
    await store.close();
  }
});
