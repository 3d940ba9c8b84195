/**
 * SQLite schema, versioned by PRAGMA user_version: migration N brings a database from version
 * N-1 to N. Never edit a released migration; add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
  INSERT INTO meta (key, value) VALUES ('catalog_version', 0);

  CREATE TABLE clients (
    client_id     TEXT PRIMARY KEY,
    passcode_hash TEXT NOT NULL,
    enabled       INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE templates (
    templet_id TEXT PRIMARY KEY,
    body       TEXT NOT NULL,
    client_id  TEXT
  ) WITHOUT ROWID;

  -- sms_uid is a UUIDv7: time-ordered, so inserts append to the end of the primary key.
  CREATE TABLE messages (
    sms_uid      TEXT PRIMARY KEY,
    client_id    TEXT NOT NULL,
    templet_id   TEXT NOT NULL,
    phone_number TEXT NOT NULL,
    text         TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'queuing',
    error_code   TEXT NOT NULL DEFAULT '0',
    part_count   INTEGER NOT NULL DEFAULT 0,
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    sent_at      INTEGER,
    done_at      INTEGER,
    due_at       INTEGER NOT NULL,
    lease_owner  TEXT,
    lease_until  INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  -- Only messages still moving are indexed, so finished ones cost no index space. (Partial
  -- indexes on one status each: SQLite's planner uses them only for an equal status.)
  CREATE INDEX messages_queue ON messages (due_at) WHERE status = 'queuing';
  CREATE INDEX messages_awaiting_receipt ON messages (created_at) WHERE status = 'sent';

  CREATE TABLE message_parts (
    sms_uid            TEXT NOT NULL,
    part_no            INTEGER NOT NULL,
    carrier_message_id TEXT NOT NULL,
    status             TEXT NOT NULL DEFAULT 'sent',
    error_code         TEXT NOT NULL DEFAULT '0',
    PRIMARY KEY (sms_uid, part_no)
  ) WITHOUT ROWID;
  CREATE INDEX message_parts_carrier_id ON message_parts (carrier_message_id);

  -- Receipts whose submit_sm_resp has not been recorded yet.
  CREATE TABLE pending_receipts (
    carrier_message_id TEXT NOT NULL,
    status             TEXT NOT NULL,
    error_code         TEXT NOT NULL,
    at                 INTEGER NOT NULL
  );
  CREATE INDEX pending_receipts_id ON pending_receipts (carrier_message_id);
  `,
  // 2: the column names and the "no lease" value of PostgreSQL's schema: due_at becomes
  // next_attempt_at, and a message without a lease has lease_until NULL instead of 0. SQLite
  // cannot drop a NOT NULL in place, so the table is rebuilt.
  `
  CREATE TABLE messages_v2 (
    sms_uid         TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL,
    templet_id      TEXT NOT NULL,
    phone_number    TEXT NOT NULL,
    text            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'queuing',
    error_code      TEXT NOT NULL DEFAULT '0',
    part_count      INTEGER NOT NULL DEFAULT 0,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    done_at         INTEGER,
    next_attempt_at INTEGER NOT NULL,
    lease_owner     TEXT,
    lease_until     INTEGER
  ) WITHOUT ROWID;
  INSERT INTO messages_v2 (sms_uid, client_id, templet_id, phone_number, text, status, error_code, part_count,
                           attempts, created_at, sent_at, done_at, next_attempt_at, lease_owner, lease_until)
  SELECT sms_uid, client_id, templet_id, phone_number, text, status, error_code, part_count,
         attempts, created_at, sent_at, done_at, due_at, lease_owner, NULLIF(lease_until, 0)
    FROM messages;
  DROP TABLE messages;
  ALTER TABLE messages_v2 RENAME TO messages;
  CREATE INDEX messages_queue ON messages (next_attempt_at) WHERE status = 'queuing';
  CREATE INDEX messages_awaiting_receipt ON messages (created_at) WHERE status = 'sent';
  `,
  // 3: receipts decided per connection (id styles), and query_sm for receipts that never came:
  // each part keeps its connection and its id as the SMSC answered it (query_sm must name it
  // so; carrier_message_id is the normal form), each message when it was last asked about.
  `
  ALTER TABLE message_parts ADD COLUMN connection TEXT;
  ALTER TABLE message_parts ADD COLUMN answered_id TEXT;
  ALTER TABLE messages ADD COLUMN receipt_queried_at INTEGER;
  `,
  // 4: a single-part message (nearly all of them) keeps its carrier id, as the SMSC answered it
  // (answered_id, only where it differs from the normal form) and its connection in its own
  // row, so `sent` is one UPDATE and a receipt one lookup and one UPDATE; message_parts holds
  // the parts of multipart messages only. Existing single-part rows move over.
  `
  ALTER TABLE messages ADD COLUMN carrier_message_id TEXT;
  ALTER TABLE messages ADD COLUMN answered_id TEXT;
  ALTER TABLE messages ADD COLUMN connection TEXT;
  UPDATE messages SET carrier_message_id = p.carrier_message_id,
                      answered_id = NULLIF(p.answered_id, p.carrier_message_id),
                      connection = p.connection
    FROM message_parts p
   WHERE p.sms_uid = messages.sms_uid AND p.part_no = 1 AND messages.part_count = 1;
  DELETE FROM message_parts
   WHERE sms_uid IN (SELECT sms_uid FROM messages WHERE part_count = 1 AND carrier_message_id IS NOT NULL);
  CREATE INDEX messages_carrier_id ON messages (carrier_message_id) WHERE carrier_message_id IS NOT NULL;
  `,
  // 5: status callbacks. A client's callback URL, which changes it hears (all | final) and the
  // secret we sign with, kept in clear because we sign with it (we never check it, so a hash
  // would not do). callback_outbox holds the events owed, written in the transaction of the
  // status change; the partial indexes cover only live (not dead) rows for the sender's "due
  // events per client" and only dead rows for `callback failures`.
  `
  ALTER TABLE clients ADD COLUMN callback_url TEXT;
  ALTER TABLE clients ADD COLUMN callback_events TEXT;
  ALTER TABLE clients ADD COLUMN callback_secret TEXT;
  CREATE TABLE callback_outbox (
    event_id        TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL,
    sms_uid         TEXT NOT NULL,
    status          TEXT NOT NULL,
    error_code      TEXT NOT NULL,
    phone_number    TEXT NOT NULL,
    templet_id      TEXT NOT NULL,
    parts           INTEGER NOT NULL,
    sequence        INTEGER NOT NULL,
    occurred_at     INTEGER NOT NULL,
    owed_since      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    lease_owner     TEXT,
    lease_until     INTEGER,
    dead_at         INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX callback_outbox_due ON callback_outbox (client_id, next_attempt_at) WHERE dead_at IS NULL;
  CREATE INDEX callback_outbox_dead ON callback_outbox (client_id, dead_at) WHERE dead_at IS NOT NULL;
  `,
  // 6: Idempotency-Key. A send's key
  // is stored with its message, in its transaction; the primary key is what makes a repeat of a
  // key that is live find the first send instead of making a second one. created_at is the
  // send's, so an expired key is taken over by the send that finds it so.
  `
  CREATE TABLE idempotency_keys (
    client_id       TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    sms_uid         TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    PRIMARY KEY (client_id, idempotency_key)
  ) WITHOUT ROWID;
  CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
  `,
  // 7: limits (issue 17): a
  // client's limits and sender, as the operator wrote them (NULL: unset), and the blocklist
  // with a version of its own. A global entry has client_id ''.
  `
  ALTER TABLE clients ADD COLUMN rate TEXT;
  ALTER TABLE clients ADD COLUMN daily_quota INTEGER;
  ALTER TABLE clients ADD COLUMN countries TEXT;
  ALTER TABLE clients ADD COLUMN country_cap TEXT;
  ALTER TABLE clients ADD COLUMN sender TEXT;
  CREATE TABLE blocklist (
    client_id  TEXT NOT NULL,
    entry      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, entry)
  ) WITHOUT ROWID;
  INSERT INTO meta (key, value) VALUES ('blocklist_version', 0);
  `,
  // 8: the operators' message search (admin API), newest first by
  // sms_uid (time-ordered), served by an index whatever the filter, also at 10 million rows.
  // Each index carries the primary key, so (phone_number) is (phone_number, sms_uid). An error
  // status is rare: a partial index per error status costs only the messages that end in it.
  `
  CREATE INDEX messages_phone ON messages (phone_number);
  CREATE INDEX messages_client ON messages (client_id);
  CREATE INDEX messages_error_rejected ON messages (status) WHERE status = 'error_rejected';
  CREATE INDEX messages_error_undeliverable ON messages (status) WHERE status = 'error_undeliverable';
  CREATE INDEX messages_error_expired ON messages (status) WHERE status = 'error_expired';
  CREATE INDEX messages_error_unknown ON messages (status) WHERE status = 'error_unknown';
  `,
  // 9: the admin API's message view lists the message's callback events still owed or dead.
  `
  CREATE INDEX callback_outbox_message ON callback_outbox (sms_uid);
  `,
  // 10: an acknowledged event stays, marked acknowledged_at (its attempts then count the try
  // that succeeded), so the message view shows it delivered for as long as the message is kept;
  // retention deletes it with its message. Acknowledging clears dead_at, so the dead rows' index
  // holds none; the sender's index is rebuilt to leave them out, so claims never walk the delivered history.
  `
  ALTER TABLE callback_outbox ADD COLUMN acknowledged_at INTEGER;
  DROP INDEX callback_outbox_due;
  CREATE INDEX callback_outbox_due ON callback_outbox (client_id, next_attempt_at) WHERE dead_at IS NULL AND acknowledged_at IS NULL;
  `,
];
