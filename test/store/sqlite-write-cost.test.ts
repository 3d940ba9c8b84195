import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, expect, it } from 'vitest';
import { receiptIdCandidates } from '../../src/domain/receipt-id-style.js';
import type { NewMessage } from '../../src/store/message-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

// What one delivered single-part message costs the embedded store, through the port as the
// dispatcher drives it (insert, claim, sent, receipt lookup and apply): SQLite statements run
// (BEGIN/COMMIT and savepoints included) and WAL bytes written. The budget: three
// writes per message, WAL <= 1.5 KB per message.
const MESSAGES = 2_000;
const BATCH = 200;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Counts every statement execution of every connection while `work` runs. */
async function countStatements(probe: Database.Database, work: () => Promise<void>): Promise<number> {
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>;
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  let count = 0;
  for (const name of ['run', 'get', 'all', 'iterate']) {
    const original = proto[name]!;
    originals.set(name, original);
    proto[name] = function (this: unknown, ...args: unknown[]) {
      count++;
      return original.apply(this, args);
    };
  }
  try {
    await work();
  } finally {
    for (const [name, original] of originals) proto[name] = original;
  }
  return count;
}

function messages(count: number, start: number): NewMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    smsUid: uuidv7({ msecs: start + i }),
    clientId: 'client-1',
    templetId: 'tpl-1',
    phoneNumber: `+86138${String(10_000_000 + i).slice(-8)}`,
    text: `Your verification code is ${String(100_000 + i)}. It expires in 5 minutes.`,
    createdAt: start + i,
  }));
}

it('a delivered single-part message costs few statements and little WAL', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'smsgate-cost-'));
  dirs.push(dir);
  const path = join(dir, 'smsgate.db');
  const store = SqliteStore.open(path);
  // A reader holding its snapshot keeps the WAL from being reset, so its size is what was written.
  const reader = new Database(path, { readonly: true });
  try {
    const now = Date.now();
    await store.insertMessages(messages(1, now - 10_000)); // the schema's first pages, not counted
    await store.markFailed((await store.claimQueued({ owner: 'd', limit: 1, leaseMs: 60_000, now }))[0]!.smsUid, 'error_expired', '0', now);
    reader.prepare('BEGIN').run();
    reader.prepare('SELECT count(*) FROM messages').get();
    const walBefore = statSync(`${path}-wal`).size;
    let serial = 0x5f3a000000n;
    let last = '';
    const cpu = process.cpuUsage();
    const statements = await countStatements(reader, async () => {
      for (let done = 0; done < MESSAGES; done += BATCH) {
        const batch = messages(BATCH, now + done);
        last = batch.at(-1)!.smsUid;
        await store.insertMessages(batch);
        const claimed = await store.claimQueued({ owner: 'd', limit: BATCH, leaseMs: 60_000, now: now + done + BATCH });
        expect(claimed).toHaveLength(BATCH);
        const ids = claimed.map(() => (serial++).toString(16));
        await Promise.all(claimed.map((m, i) => store.markSent(m.smsUid, [{ partNo: 1, carrierMessageId: ids[i]!, connection: 'smsc-1' }], now)));
        await Promise.all(
          ids.map(async (id) => {
            await store.receiptMatches(receiptIdCandidates(id).map((c) => c.carrierId));
            const { outcome } = await store.applyReceipt({ carrierMessageIds: [id], status: 'delivered', errorCode: '0', at: now });
            expect(outcome).toBe('applied');
          }),
        );
      }
    });
    const { user, system } = process.cpuUsage(cpu);
    const walBytes = statSync(`${path}-wal`).size - walBefore;
    const perMessage = { statements: statements / MESSAGES, walBytes: walBytes / MESSAGES };
    console.log(`sqlite write cost per delivered single-part message: ${perMessage.statements.toFixed(2)} statements, ${perMessage.walBytes.toFixed(0)} WAL bytes, ${((user + system) / MESSAGES).toFixed(1)} us CPU (counting included)`);
    expect((await store.getMessage(last))?.status).toBe('delivered');
    // Three writes (insert, sent, final), the receipt's lookups (the dispatcher's, one per
    // reading of the id, then the store's; no part rows to look in), and the claim, the
    // BEGIN/COMMIT and the data_version check shared by a batch. It was 16 with a savepoint
    // per write.
    expect(perMessage.statements).toBeLessThanOrEqual(6.5);
    expect(perMessage.walBytes).toBeLessThanOrEqual(2_048);
  } finally {
    reader.close();
    await store.close();
  }
  // Closed, the store checkpointed its WAL into the file: what each message keeps on disk.
  console.log(`sqlite bytes stored per message: ${(statSync(path).size / (MESSAGES + 1)).toFixed(0)}`);
});
