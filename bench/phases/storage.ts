import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { NewMessage } from '../../src/store/message-store.js';
import type { Context } from '../context.js';
import { url } from '../context.js';
import { dbBytes } from '../db.js';
import { note, progress } from '../progress.js';
import { CLIENT_ID, TEMPLATE_TEXT, TEMPLET_ID, rssBytes, setupCatalog, sleep, startGateway } from '../proc.js';
import { measureWalBytes } from './wal-bytes.js';

const BATCH = 10_000;
const DAY_MS = 86_400_000;

/** Fills a fresh database with `count` delivered messages over the last day, through the store. */
async function fill(dbPath: string, count: number): Promise<void> {
  const store = SqliteStore.open(dbPath);
  const start = Date.now() - DAY_MS;
  const step = DAY_MS / count;
  try {
    for (let done = 0; done < count; done += BATCH) {
      progress('storage: inserting', done, count);
      const batch: NewMessage[] = [];
      for (let i = done; i < Math.min(count, done + BATCH); i++) {
        const createdAt = Math.floor(start + i * step);
        const code = String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0');
        batch.push({
          smsUid: uuidv7({ msecs: createdAt }),
          clientId: CLIENT_ID,
          templetId: TEMPLET_ID,
          phoneNumber: `+8613${Math.floor(Math.random() * 10)}${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
          text: TEMPLATE_TEXT.replace('${code}', code),
          createdAt,
        });
      }
      await store.insertMessages(batch);
    }
    progress('storage: inserting', count, count);
  } finally {
    await store.close();
  }
  // Stored messages are mostly finished ones: mark every one delivered with the carrier's id
  // (hex, like the simulator's), as the dispatcher and a receipt would. A single-part message
  // keeps its carrier id in its own row (schema migration 4); only multipart ones have part rows.
  note('storage: marking them delivered (single-part)');
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.transaction(() => {
    db.exec(`UPDATE messages SET status = 'delivered', part_count = 1, attempts = 1, sent_at = created_at + 40, done_at = created_at + 900,
             carrier_message_id = printf('%x', created_at * 1000 + abs(random()) % 1000), connection = 'sim'`);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/**
 * Phase 4: WAL bytes written per message on a live gateway; then RSS of a gateway on a database
 * of 1,000,000 messages, and bytes on disk per message.
 */
export async function storagePhase(ctx: Context): Promise<void> {
  const wal = await measureWalBytes(ctx, ctx.quick ? 3_000 : 10_000);
  ctx.figures.push({
    phase: 'storage',
    figure: 'WAL bytes written per message',
    value: wal.perMessage,
    unit: 'B',
    target: '<= 1,536 B (1.5 KB)',
    met: wal.perMessage <= 1536,
    note: `${wal.frames} frames of ${wal.pageSize} + 24 B for ${wal.messages} messages, accepted to delivered (WAL pinned by a reader)`,
  });
  ctx.details.wal = wal;

  const count = ctx.quick ? 100_000 : 1_000_000;
  const dbPath = join(ctx.tmp, 'storage', 'smsgate.db');
  const passcode = await setupCatalog(dbPath);
  const t0 = Date.now();
  await fill(dbPath, count);
  const fillS = (Date.now() - t0) / 1000;

  const ro = new Database(dbPath, { readonly: true });
  // Spread over the whole table, so lookups touch pages all over the file.
  const uids = (ro.prepare('SELECT sms_uid FROM messages ORDER BY random() LIMIT 20000').all() as { sms_uid: string }[]).map((r) => r.sms_uid);
  ro.close();
  const uidsFile = join(ctx.tmp, 'storage-uids.txt');
  writeFileSync(uidsFile, uids.join('\n') + '\n');

  const gateway = await startGateway({ dbPath, env: { SMSGATE_QUERY_RATE: '5000' } });
  let rss: number | undefined;
  let hwm: number | undefined;
  try {
    await sleep(500);
    const idle = rssBytes(gateway.pid);
    note('storage: 5 s of querysms at ~1,000/s on the full database');
    const load = await ctx.gen.run({ url: url(gateway.port, 'querysms'), connections: 10, delayMs: 9, durationS: 5, body: { kind: 'query', clientId: CLIENT_ID, passcode, uidsFile } });
    rss = rssBytes(gateway.pid);
    hwm = rssBytes(gateway.pid, 'VmHWM');
    ctx.details.storage = { count, fillS, idleRss: idle, rss, peakRss: hwm, queries: load.requests, queryOk: load.ok };
  } finally {
    await gateway.stop(); // closing the last connection checkpoints the WAL
  }
  const ck = new Database(dbPath);
  ck.pragma('wal_checkpoint(TRUNCATE)');
  const stored = (ck.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
  ck.close();
  const bytes = dbBytes(dbPath);
  const perMessage = bytes / stored;
  const label = count.toLocaleString('en-US');
  ctx.figures.push(
    { phase: `storage @${label}`, figure: 'gateway RSS after query load', value: rss === undefined ? undefined : rss / 1048576, unit: 'MB', target: '<= 300 MB', met: rss !== undefined && rss <= 300 * 1048576, note: hwm ? `peak ${(hwm / 1048576).toFixed(0)} MB` : undefined },
    { phase: `storage @${label}`, figure: 'database bytes per message', value: perMessage, unit: 'B', target: '<= 400 B', met: perMessage <= 400, note: `${(bytes / 1048576).toFixed(0)} MB for ${stored} messages (db + wal after checkpoint); filled in ${fillS.toFixed(0)} s` },
  );
  Object.assign(ctx.details.storage as object, { bytes, stored, perMessage });
}
