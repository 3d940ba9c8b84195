import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { WalSync } from '../../src/store/sqlite/wal-sync.js';
import { WriteCombiner } from '../../src/store/sqlite/write-combiner.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smsgate-walsync-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function walDatabase(name: string): Database.Database {
  const db = new Database(join(dir, name));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (v INTEGER)');
  return db;
}

it('answers a write only after the WAL was synced, and many writes share one sync', async () => {
  const db = walDatabase('a.db');
  const sync = new WalSync(join(dir, 'a.db-wal'));
  let syncs = 0;
  const realAfterSync = sync.afterSync.bind(sync);
  sync.afterSync = (done) => {
    syncs++;
    realAfterSync(done);
  };
  const combiner = new WriteCombiner(db, sync);
  const insert = db.prepare('INSERT INTO t VALUES (?)');
  const writes = Array.from({ length: 50 }, (_, i) => combiner.run(() => insert.run(i).changes));
  expect(await Promise.all(writes)).toEqual(Array(50).fill(1));
  expect(syncs).toBe(1);
  sync.close();
  db.close();
});

it('fails the writes whose sync failed: a commit not known to be durable is not reported as done', async () => {
  const db = walDatabase('b.db');
  const combiner = new WriteCombiner(db, new WalSync(join(dir, 'no-such-dir', 'b.db-wal')));
  await expect(combiner.run(() => db.prepare('INSERT INTO t VALUES (1)').run())).rejects.toThrow(/ENOENT/);
  db.close();
});

it('keeps a failing write to itself: the others in the same transaction commit', async () => {
  const db = walDatabase('c.db');
  const combiner = new WriteCombiner(db, new WalSync(join(dir, 'c.db-wal')));
  const insert = db.prepare('INSERT INTO t VALUES (?)');
  const results = await Promise.allSettled([
    combiner.run(() => insert.run(1)),
    combiner.run(() => {
      insert.run(2);
      throw new Error('this write fails');
    }),
    combiner.run(() => insert.run(3)),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(db.prepare('SELECT v FROM t ORDER BY v').all()).toEqual([{ v: 1 }, { v: 3 }]);
  db.close();
});
