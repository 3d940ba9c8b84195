import { join } from 'node:path';
import type { Context } from '../context.js';
import { url } from '../context.js';
import { openReadOnly } from '../db.js';
import { progress } from '../progress.js';
import { CLIENT_ID, TEMPLET_ID, probeSend, setupCatalog, sleep, startGateway } from '../proc.js';
import { pinWal, walBytesBetween, walPosition } from '../wal.js';

export interface WalBytes {
  readonly messages: number;
  readonly bytes: number;
  readonly perMessage: number;
  readonly pageSize: number;
  readonly frames: number;
}

/**
 * WAL bytes the gateway's database gets per message over a message's whole life (accepted,
 * sent, delivered) on the embedded default: a fresh gateway, the WAL pinned by a reader (wal.ts),
 * `count` sends at 64 connections, then wait until all are final. The built-in simulator's own
 * journal is another file and is not counted.
 */
export async function measureWalBytes(ctx: Context, count: number): Promise<WalBytes> {
  const dbPath = join(ctx.tmp, 'wal', 'smsgate.db');
  const passcode = await setupCatalog(dbPath);
  const gateway = await startGateway({ dbPath });
  const db = openReadOnly(dbPath);
  let unpin: (() => void) | undefined;
  try {
    await probeSend(gateway.port, passcode);
    const finalCount = db.prepare('SELECT count(*) AS n FROM messages WHERE done_at IS NOT NULL');
    const all = db.prepare('SELECT count(*) AS n FROM messages');
    const n = () => (all.get() as { n: number }).n;
    while ((finalCount.get() as { n: number }).n < n()) await sleep(50); // the probe's life ends first
    const startCount = n();
    unpin = pinWal(db);
    const before = walPosition(dbPath);
    let accepted = 0;
    let offset = 1_000_000;
    while (accepted < count) {
      progress('storage: WAL bytes per message', accepted, count);
      const spec = { url: url(gateway.port, 'sendsms'), connections: 64, durationS: 1, body: { kind: 'send' as const, clientId: CLIENT_ID, passcode, templetId: TEMPLET_ID, numberOffset: offset } };
      offset += ctx.gen.numbersUsed(spec);
      accepted += (await ctx.gen.run(spec)).ok;
    }
    // The pinned snapshot sees no new rows: count them through a second connection.
    const counter = openReadOnly(dbPath);
    try {
      const total = () => (counter.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
      const final = () => (counter.prepare('SELECT count(*) AS n FROM messages WHERE done_at IS NOT NULL').get() as { n: number }).n;
      const deadline = Date.now() + 60_000;
      while (final() < total() && Date.now() < deadline) await sleep(100);
      await sleep(200); // any write that trails the last final status (bookkeeping of the last receipts)
      const after = walPosition(dbPath);
      const messages = total() - startCount;
      progress('storage: WAL bytes per message', count, count);
      const bytes = walBytesBetween(before, after);
      return { messages, bytes, perMessage: bytes / messages, pageSize: after.pageSize, frames: after.frames - before.frames };
    } finally {
      counter.close();
    }
  } finally {
    unpin?.();
    db.close();
    await gateway.stop();
  }
}
