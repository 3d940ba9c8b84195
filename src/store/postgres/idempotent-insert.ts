import type pg from 'pg';
import { IDEMPOTENCY_COLUMNS, NO_HELD_KEYS, toIdempotencyRecord, type IdempotencyRow } from '../idempotency-row.js';
import type { IdempotencyRecord, NewMessage } from '../message-store.js';
import { messageArrays } from './message-arrays.js';

/** A key held by a row deleted (expired) between the insert and the read: the insert is tried again. */
const MAX_ROUNDS = 3;

/**
 * Inserts a batch some of whose messages carry an Idempotency-Key: one statement inserts the
 * keys and, beside them, the messages whose key it could take (new, or expired by the time of
 * their send). The primary key of idempotency_keys decides between API processes: an insert
 * that meets a key another transaction has not committed yet waits for it, then finds it held.
 * Keys are inserted in one order, (client_id, key), so two batches cannot deadlock on them. A
 * message whose key is held is not inserted, the others are; the held keys are then read.
 */
export async function insertWithKeys(pool: pg.Pool, batch: readonly NewMessage[]): Promise<readonly IdempotencyRecord[]> {
  let pending = batch;
  const held: IdempotencyRecord[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const blocked = await insertRound(pool, pending);
    if (blocked.length === 0) break;
    const found = await readKeys(pool, blocked);
    held.push(...found.records);
    if (found.missing.length === 0) break;
    if (round === MAX_ROUNDS - 1) throw new Error('idempotency keys kept expiring under the insert');
    pending = found.missing;
  }
  return held.length === 0 ? NO_HELD_KEYS : held;
}

/** One statement; answers the keyed messages that were not inserted. */
async function insertRound(pool: pg.Pool, batch: readonly NewMessage[]): Promise<NewMessage[]> {
  // The first of a batch's messages with one key is the one that may take it.
  const firsts = new Map<string, NewMessage>();
  for (const m of batch) if (m.idempotency) firsts.set(keyOf(m), firsts.get(keyOf(m)) ?? m);
  const keyed = [...firsts.values()].sort((a, b) => compare(a.clientId, b.clientId) || compare(a.idempotency!.key, b.idempotency!.key));
  const result = await pool.query<{ sms_uid: string }>(
    `WITH claimed AS (
       INSERT INTO idempotency_keys (client_id, idempotency_key, fingerprint, sms_uid, created_at, expires_at)
       SELECT k.client_id, k.idempotency_key, k.fingerprint, k.sms_uid, k.created_at, k.expires_at
         FROM unnest($7::text[], $8::text[], $9::text[], $10::uuid[], $11::bigint[], $12::bigint[]) WITH ORDINALITY
                AS k(client_id, idempotency_key, fingerprint, sms_uid, created_at, expires_at, n)
        ORDER BY n
       ON CONFLICT (client_id, idempotency_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,
          sms_uid = EXCLUDED.sms_uid, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
        WHERE idempotency_keys.expires_at <= EXCLUDED.created_at
       RETURNING sms_uid
     ), inserted AS (
       INSERT INTO messages (sms_uid, client_id, templet_id, phone_number, text, created_at)
       SELECT m.sms_uid, m.client_id, m.templet_id, m.phone_number, m.text, m.created_at
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $13::boolean[])
              AS m(sms_uid, client_id, templet_id, phone_number, text, created_at, keyed)
        WHERE NOT m.keyed OR m.sms_uid IN (SELECT sms_uid FROM claimed)
       RETURNING 1
     )
     SELECT sms_uid::text FROM claimed`,
    [
      ...messageArrays(batch),
      keyed.map((m) => m.clientId),
      keyed.map((m) => m.idempotency!.key),
      keyed.map((m) => m.idempotency!.fingerprint),
      keyed.map((m) => m.smsUid),
      keyed.map((m) => m.createdAt),
      keyed.map((m) => m.idempotency!.expiresAt),
      batch.map((m) => m.idempotency !== undefined),
    ],
  );
  const claimed = new Set(result.rows.map((row) => row.sms_uid.toLowerCase()));
  return batch.filter((m) => m.idempotency && !claimed.has(m.smsUid.toLowerCase()));
}

/** The live keys that blocked these messages; `missing`: those whose key is gone since (expired). */
async function readKeys(pool: pg.Pool, blocked: readonly NewMessage[]): Promise<{ records: IdempotencyRecord[]; missing: NewMessage[] }> {
  const result = await pool.query<IdempotencyRow>(
    `SELECT ${IDEMPOTENCY_COLUMNS} FROM idempotency_keys
      WHERE (client_id, idempotency_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [blocked.map((m) => m.clientId), blocked.map((m) => m.idempotency!.key)],
  );
  const byKey = new Map(result.rows.map((row) => [`${row.client_id}\n${row.idempotency_key}`, row]));
  const records: IdempotencyRecord[] = [];
  const missing: NewMessage[] = [];
  for (const m of blocked) {
    const row = byKey.get(keyOf(m));
    if (row && row.expires_at > m.createdAt) records.push(toIdempotencyRecord(row));
    else missing.push(m);
  }
  return { records, missing };
}

function keyOf(m: NewMessage): string {
  return `${m.clientId}\n${m.idempotency!.key}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
