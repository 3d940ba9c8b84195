import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ReceiptJournal } from '../../src/carrier/simulator/receipt-journal.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../support/cli.js';

/** The database holds message texts with their codes and passcode hashes: no other local user reads it. */
const temp = tempDir('smsgate-modes-');
afterAll(() => temp.cleanup());

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

it('the SQLite database, its WAL and shared memory are created 0600 in a folder created 0700', async () => {
  const folder = join(temp.dir, 'data');
  const path = join(folder, 'smsgate.db');
  const store = SqliteStore.open(path);
  try {
    await store.addClient('modes', 'hash', Date.now()); // a write: the WAL exists
    expect({ folder: mode(folder), db: mode(path), wal: mode(`${path}-wal`), shm: mode(`${path}-shm`) }).toEqual({
      folder: '700',
      db: '600',
      wal: '600',
      shm: '600',
    });
  } finally {
    await store.close();
  }
});

it("the simulator's receipt journal is created 0600", async () => {
  const path = join(temp.dir, 'journal', 'simulator-receipts.db');
  const journal = new ReceiptJournal(path);
  journal.add({ key: 'k', owner: 'o', dueAt: Date.now(), fields: {} });
  await new Promise((resolve) => setImmediate(resolve));
  try {
    expect({ folder: mode(join(temp.dir, 'journal')), db: mode(path), wal: mode(`${path}-wal`) }).toEqual({ folder: '700', db: '600', wal: '600' });
  } finally {
    journal.close();
  }
});
