import type Database from 'better-sqlite3';
import { CALLBACK_OUTBOX_COLUMNS } from '../callback-rows.js';
import { IDEMPOTENCY_COLUMNS } from '../idempotency-row.js';
import { MESSAGE_COLUMNS } from '../message-row.js';

/** Every statement the SQLite store runs, prepared once. */
export function prepareStatements(db: Database.Database) {
  const s = (sql: string) => db.prepare(sql);
  return {
    catalogVersion: s(`SELECT value FROM meta WHERE key = 'catalog_version'`),
    bumpCatalog: s(`UPDATE meta SET value = value + 1 WHERE key = 'catalog_version'`),
    // The hash is text ("sha256:..."), which SQLite keeps as text in meta's INTEGER column.
    adminTokenHash: s(`SELECT value FROM meta WHERE key = 'admin_token_hash'`),
    initAdminTokenHash: s(`INSERT INTO meta (key, value) VALUES ('admin_token_hash', ?) ON CONFLICT DO NOTHING`),
    setAdminTokenHash: s(`INSERT INTO meta (key, value) VALUES ('admin_token_hash', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
    insertClient: s(`INSERT INTO clients (client_id, passcode_hash, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`),
    listClients: s(
      `SELECT client_id, passcode_hash, enabled, created_at, callback_url, callback_events, callback_secret,
              rate, daily_quota, countries, country_cap, sender FROM clients ORDER BY client_id`,
    ),
    setCallback: s(`UPDATE clients SET callback_url = ?, callback_events = ?, callback_secret = ? WHERE client_id = ?`),
    anyCallbackClient: s(`SELECT EXISTS (SELECT 1 FROM clients WHERE callback_url IS NOT NULL) AS any`),
    setPasscodeHash: s(`UPDATE clients SET passcode_hash = ? WHERE client_id = ?`),
    setEnabled: s(`UPDATE clients SET enabled = ? WHERE client_id = ?`),
    setLimits: s(`UPDATE clients SET rate = ?, daily_quota = ?, countries = ?, country_cap = ?, sender = ? WHERE client_id = ?`),
    insertTemplate: s(`INSERT INTO templates (templet_id, body, client_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`),
    listTemplates: s(`SELECT templet_id, body, client_id FROM templates ORDER BY templet_id`),
    deleteTemplate: s(`DELETE FROM templates WHERE templet_id = ?`),

    insertMessage: s(
      `INSERT INTO messages (sms_uid, client_id, templet_id, phone_number, text, created_at, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    // Inserts the key, or takes over one that expired by the time of this send; changes 0: a
    // live key holds it.
    claimIdempotencyKey: s(
      `INSERT INTO idempotency_keys (client_id, idempotency_key, fingerprint, sms_uid, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (client_id, idempotency_key) DO UPDATE SET fingerprint = excluded.fingerprint,
         sms_uid = excluded.sms_uid, created_at = excluded.created_at, expires_at = excluded.expires_at
       WHERE idempotency_keys.expires_at <= excluded.created_at`,
    ),
    getIdempotencyKey: s(
      `SELECT ${IDEMPOTENCY_COLUMNS} FROM idempotency_keys WHERE client_id = ? AND idempotency_key = ? AND expires_at > ?`,
    ),
    deleteExpiredIdempotencyKeys: s(
      `DELETE FROM idempotency_keys WHERE (client_id, idempotency_key) IN (
         SELECT client_id, idempotency_key FROM idempotency_keys WHERE expires_at <= ? LIMIT ?)`,
    ),
    getMessage: s(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE sms_uid = ?`),
    // Newest first along the time-ordered key (UUIDv7): the caller stops at its cutoff.
    newestSends: s(`SELECT client_id, phone_number, created_at FROM messages ORDER BY sms_uid DESC`),
    getStatus: s(`SELECT client_id, status, error_code, part_count, carrier_message_id IS NOT NULL AS single FROM messages WHERE sms_uid = ?`),
    claim: s(
      `UPDATE messages SET lease_owner = @owner, lease_until = @until
       WHERE sms_uid IN (
         SELECT sms_uid FROM messages
         WHERE status = 'queuing' AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
         ORDER BY next_attempt_at LIMIT @limit)
       RETURNING sms_uid, client_id, phone_number, text, created_at, attempts, next_attempt_at`,
    ),
    leaseOwners: s(`SELECT DISTINCT lease_owner FROM messages WHERE status = 'queuing' AND lease_owner IS NOT NULL`),
    releaseLeases: s(`UPDATE messages SET lease_owner = NULL, lease_until = NULL WHERE status = 'queuing' AND lease_owner = ?`),
    // A single-part message keeps its carrier id in its own row (NULLs for a multipart one,
    // whose parts go to message_parts).
    markSent: s(
      `UPDATE messages SET status = 'sent', part_count = ?, sent_at = ?, attempts = attempts + 1,
              lease_owner = NULL, lease_until = NULL, carrier_message_id = ?, answered_id = ?, connection = ?
       WHERE sms_uid = ? AND status = 'queuing'
       RETURNING client_id`,
    ),
    markRetry: s(
      `UPDATE messages SET next_attempt_at = ?, attempts = attempts + 1, lease_owner = NULL, lease_until = NULL
       WHERE sms_uid = ? AND status = 'queuing'`,
    ),
    // `attempted`: 1 when the end is the carrier's answer to a submit (a rejection), else 0.
    markFailed: s(
      `UPDATE messages SET status = @status, error_code = @errorCode, done_at = @now, attempts = attempts + @attempted,
              lease_owner = NULL, lease_until = NULL
       WHERE sms_uid = @smsUid AND status IN ('queuing', 'sent')`,
    ),
    settle: s(`UPDATE messages SET status = ?, error_code = ?, done_at = ? WHERE sms_uid = ?`),
    expireQueued: s(
      `UPDATE messages SET status = 'error_expired', done_at = ?, lease_owner = NULL, lease_until = NULL
       WHERE status = 'queuing' AND created_at < ?
       RETURNING sms_uid, client_id`,
    ),
    expireSent: s(
      `UPDATE messages SET status = 'error_expired', done_at = ?
       WHERE status = 'sent' AND created_at < ?
       RETURNING sms_uid, client_id`,
    ),
    // The primary key is time-ordered (UUIDv7), so old finished messages sit at the front of
    // the scan: no index on done_at is needed for a job that runs once an hour.
    deleteFinishedBatch: s(
      `DELETE FROM messages WHERE sms_uid IN (
         SELECT sms_uid FROM messages WHERE done_at < ? LIMIT ?)
       RETURNING sms_uid, carrier_message_id IS NULL AS multipart`,
    ),
    deleteParts: s(`DELETE FROM message_parts WHERE sms_uid = ?`),
    deleteOldPendingReceipts: s(`DELETE FROM pending_receipts WHERE at < ?`),
    countPendingReceipts: s(`SELECT count(*) AS n FROM pending_receipts`),
    insertPart: s(
      `INSERT INTO message_parts (sms_uid, part_no, carrier_message_id, answered_id, connection) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (sms_uid, part_no) DO UPDATE SET carrier_message_id = excluded.carrier_message_id,
         answered_id = excluded.answered_id, connection = excluded.connection`,
    ),
    // The parts holding an id: a single-part message's own row, or a part row of a multipart
    // one. Each row carries what the receipt rule needs of its message, so applying a receipt
    // reads nothing more. One id per statement: an IN list of a receipt's readings cost more
    // than one lookup per reading, and a UNION ALL of both tables four times both.
    findSingleParts: s(
      `SELECT carrier_message_id, sms_uid, 1 AS part_no, connection, answered_id, status, sent_at,
              phone_number, client_id, part_count, error_code, 1 AS single
       FROM messages
       WHERE carrier_message_id IS NOT NULL AND carrier_message_id = ?`,
    ),
    findMultiParts: s(
      `SELECT p.carrier_message_id, p.sms_uid, p.part_no, p.connection, p.answered_id, m.status, m.sent_at,
              m.phone_number, m.client_id, m.part_count, m.error_code, 0 AS single
       FROM message_parts p JOIN messages m USING (sms_uid)
       WHERE p.carrier_message_id = ?`,
    ),
    anyPartRow: s(`SELECT EXISTS (SELECT 1 FROM message_parts) AS any`),
    // Through the partial index of sent messages, oldest first; marks them asked in the same step.
    claimReceiptQueries: s(
      `UPDATE messages SET receipt_queried_at = @now
       WHERE sms_uid IN (
         SELECT sms_uid FROM messages
         WHERE status = 'sent' AND sent_at < @sentBefore AND (receipt_queried_at IS NULL OR receipt_queried_at < @askedBefore)
         ORDER BY created_at LIMIT @limit)
       RETURNING sms_uid, client_id, phone_number, carrier_message_id, answered_id, connection`,
    ),
    partsAwaitingReceipt: s(
      `SELECT part_no, COALESCE(answered_id, carrier_message_id) AS carrier_message_id, connection
       FROM message_parts WHERE sms_uid = ? AND status = 'sent' ORDER BY part_no`,
    ),
    setPartStatus: s(`UPDATE message_parts SET status = ?, error_code = ? WHERE sms_uid = ? AND part_no = ?`),
    partStatuses: s(`SELECT part_no, status, error_code FROM message_parts WHERE sms_uid = ? ORDER BY part_no`),
    insertPendingReceipt: s(`INSERT INTO pending_receipts (carrier_message_id, status, error_code, at) VALUES (?, ?, ?, ?)`),
    // Callbacks (callback-events.ts, callback-outbox.ts). The WHERE makes SQLite read the
    // INSERT's SELECT as one and not the ON CONFLICT as a join constraint.
    insertCallbackEvent: s(
      `INSERT INTO callback_outbox (event_id, client_id, sms_uid, status, error_code, phone_number, templet_id, parts,
                                    sequence, occurred_at, owed_since, next_attempt_at)
       SELECT @eventId, m.client_id, m.sms_uid, @status, @errorCode, m.phone_number, m.templet_id, m.part_count,
              @sequence, @at, @at, @at
         FROM messages m JOIN clients c ON c.client_id = m.client_id
        WHERE m.sms_uid = @smsUid AND c.callback_url IS NOT NULL
          AND c.callback_events IN (SELECT value FROM json_each(@wanted))
       ON CONFLICT (event_id) DO NOTHING`,
    ),
    clientsWithDueCallbacks: s(
      `SELECT DISTINCT client_id FROM callback_outbox
        WHERE dead_at IS NULL AND acknowledged_at IS NULL AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now)`,
    ),
    claimCallbacks: s(
      `UPDATE callback_outbox SET lease_owner = @owner, lease_until = @until
        WHERE event_id IN (
          SELECT event_id FROM callback_outbox
           WHERE client_id = @clientId AND dead_at IS NULL AND acknowledged_at IS NULL AND next_attempt_at <= @now
             AND (lease_until IS NULL OR lease_until <= @now)
           ORDER BY occurred_at, sequence LIMIT @limit)
       RETURNING ${CALLBACK_OUTBOX_COLUMNS}`,
    ),
    // Kept for the message view until retention deletes it with its message; a dead event the
    // receiver did take after all (a late answer) is delivered, not dead.
    acknowledgeCallback: s(
      `UPDATE callback_outbox SET acknowledged_at = @now, attempts = attempts + 1, dead_at = NULL, lease_owner = NULL, lease_until = NULL
        WHERE event_id = @eventId AND acknowledged_at IS NULL`,
    ),
    rescheduleCallback: s(
      `UPDATE callback_outbox SET attempts = attempts + 1, next_attempt_at = @nextAttemptAt, last_error = @lastError,
              lease_owner = NULL, lease_until = NULL
        WHERE event_id = @eventId AND dead_at IS NULL AND acknowledged_at IS NULL`,
    ),
    hastenCallbacks: s(
      `UPDATE callback_outbox SET next_attempt_at = @now
        WHERE client_id = @clientId AND dead_at IS NULL AND acknowledged_at IS NULL AND next_attempt_at > @now
          AND (lease_until IS NULL OR lease_until <= @now)`,
    ),
    buryCallback: s(
      `UPDATE callback_outbox SET attempts = attempts + 1, dead_at = @now, last_error = @lastError, lease_owner = NULL, lease_until = NULL
        WHERE event_id = @eventId AND dead_at IS NULL AND acknowledged_at IS NULL`,
    ),
    messageCallbacks: s(
      `SELECT ${CALLBACK_OUTBOX_COLUMNS}, next_attempt_at, acknowledged_at FROM callback_outbox WHERE sms_uid = ? ORDER BY sequence`,
    ),
    deadCallbacks: s(
      `SELECT ${CALLBACK_OUTBOX_COLUMNS} FROM callback_outbox
        WHERE dead_at IS NOT NULL AND (@clientId IS NULL OR client_id = @clientId)
        ORDER BY occurred_at, sequence LIMIT @limit`,
    ),
    reviveCallbacks: s(
      `UPDATE callback_outbox SET dead_at = NULL, attempts = 0, owed_since = @now, next_attempt_at = @now
        WHERE dead_at IS NOT NULL AND (@clientId IS NULL OR client_id = @clientId)`,
    ),
    callbackBacklog: s(
      `SELECT (SELECT count(*) FROM callback_outbox WHERE dead_at IS NULL AND acknowledged_at IS NULL) AS owed,
              (SELECT count(*) FROM callback_outbox WHERE dead_at IS NOT NULL) AS dead`,
    ),
    deleteDeadCallbacksBefore: s(`DELETE FROM callback_outbox WHERE dead_at IS NOT NULL AND dead_at < ?`),
    // Retention: a deleted message's acknowledged events go with it (callback_outbox_message).
    deleteAcknowledgedCallbacks: s(`DELETE FROM callback_outbox WHERE sms_uid = ? AND acknowledged_at IS NOT NULL`),
    takePendingReceipts: s(`DELETE FROM pending_receipts WHERE carrier_message_id = ? RETURNING status, error_code`),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
