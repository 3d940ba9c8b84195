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

const UNCLAIMED = '01a21000-0000-7000-8000-000000000001';
const LEASED = '01a21000-0000-7000-8000-000000000002';
const RETRYING = '01a21000-0000-7000-8000-000000000003';

it('upgrades a version 1 database: its messages keep their queue position and leases', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'smsgate-migrate-'));
  dirs.push(dir);
  const path = join(dir, 'smsgate.db');
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
