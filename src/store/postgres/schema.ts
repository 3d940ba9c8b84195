/**
 * The PostgreSQL schema, as versioned migrations. A released migration is never edited: a change
 * is a new entry at the end. Names are unqualified, so the schema is whatever search_path says.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const STATUSES = `'queuing','sent','delivered','error_rejected','error_undeliverable','error_expired','error_unknown'`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'catalog, messages, parts, pending receipts',
    sql: `
      -- One row: the catalog version caches compare against.
      CREATE TABLE meta (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        catalog_version bigint NOT NULL
      );
      INSERT INTO meta (catalog_version) VALUES (1);

      CREATE TABLE clients (
        client_id text PRIMARY KEY,
        passcode_hash text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        created_at bigint NOT NULL
      );

      CREATE TABLE templates (
        templet_id text PRIMARY KEY,
        body text NOT NULL,
        client_id text
      );

      -- No foreign key to clients: the API checks the client, and a key check would cost every
      -- insert on the hot path.
      CREATE TABLE messages (
        sms_uid uuid PRIMARY KEY,
        client_id text NOT NULL,
        templet_id text NOT NULL,
        phone_number text NOT NULL,
        text text NOT NULL,
        status text NOT NULL DEFAULT 'queuing' CHECK (status IN (${STATUSES})),
        error_code text NOT NULL DEFAULT '0',
        part_count integer NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        created_at bigint NOT NULL,
        sent_at bigint,
        done_at bigint,
        -- 0: due at once, whatever the clocks of the API process and the dispatcher say.
        next_attempt_at bigint NOT NULL DEFAULT 0,
        lease_owner text,
        lease_until bigint
      );
      -- The dispatch queue: only queued rows, in claim order. Rows leave it as they are sent.
      CREATE INDEX messages_queue ON messages (created_at, sms_uid) WHERE status = 'queuing';
      -- Expiry of sent messages that never got a final receipt.
      CREATE INDEX messages_sent_created ON messages (created_at) WHERE status = 'sent';
      -- Retention.
      CREATE INDEX messages_done ON messages (done_at) WHERE done_at IS NOT NULL;

      CREATE TABLE message_parts (
        sms_uid uuid NOT NULL REFERENCES messages ON DELETE CASCADE,
        part_no integer NOT NULL,
        -- normaliseCarrierId form
        carrier_message_id text NOT NULL,
        status text NOT NULL CHECK (status IN (${STATUSES})),
        error_code text NOT NULL DEFAULT '0',
        PRIMARY KEY (sms_uid, part_no)
      );
      CREATE INDEX message_parts_carrier_id ON message_parts (carrier_message_id);

      -- A receipt that came before its submit was recorded: one row per candidate id, sharing
      -- receipt_id, so that whichever spelling markSent stores finds it.
      CREATE TABLE pending_receipts (
        receipt_id bigint NOT NULL,
        carrier_message_id text NOT NULL,
        status text NOT NULL CHECK (status IN (${STATUSES})),
        error_code text NOT NULL,
        at bigint NOT NULL,
        PRIMARY KEY (receipt_id, carrier_message_id)
      );
      CREATE INDEX pending_receipts_carrier_id ON pending_receipts (carrier_message_id);
      CREATE INDEX pending_receipts_at ON pending_receipts (at);
      CREATE SEQUENCE pending_receipt_ids;
    `,
  },
  {
    version: 2,
    name: 'part connection and answered id, message receipt_queried_at',
    sql: `
      -- Receipts are decided per connection (id styles), and a message whose receipt never came
      -- is asked about with query_sm, which must name the id exactly as the SMSC answered it
      -- (carrier_message_id is the normal form).
      ALTER TABLE message_parts ADD COLUMN connection text;
      ALTER TABLE message_parts ADD COLUMN answered_id text;
      ALTER TABLE messages ADD COLUMN receipt_queried_at bigint;
    `,
  },
  {
    version: 3,
    name: 'status callbacks: client callback settings, callback_outbox',
    sql: `
      -- The secret is kept in clear: we sign with it and never check it, so a hash would not do.
      -- It is shown once when set and never listed or logged.
      ALTER TABLE clients ADD COLUMN callback_url text,
                          ADD COLUMN callback_events text CHECK (callback_events IN ('all', 'final')),
                          ADD COLUMN callback_secret text;

      -- Events owed to clients' callback URLs, written in the transaction of the status change.
      -- No foreign keys: retention deletes messages whatever their events, and an event
      -- snapshots what it needs of its message.
      CREATE TABLE callback_outbox (
        event_id text PRIMARY KEY,
        client_id text NOT NULL,
        sms_uid uuid NOT NULL,
        status text NOT NULL CHECK (status IN (${STATUSES})),
        error_code text NOT NULL,
        phone_number text NOT NULL,
        templet_id text NOT NULL,
        parts integer NOT NULL,
        sequence integer NOT NULL,
        occurred_at bigint NOT NULL,
        owed_since bigint NOT NULL,
        next_attempt_at bigint NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        lease_owner text,
        lease_until bigint,
        dead_at bigint
      );
      -- The sender's "due events per client": live rows only.
      CREATE INDEX callback_outbox_due ON callback_outbox (client_id, next_attempt_at) WHERE dead_at IS NULL;
      -- "callback failures" and retention: dead rows only.
      CREATE INDEX callback_outbox_dead ON callback_outbox (client_id, dead_at) WHERE dead_at IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: 'idempotency keys',
    sql: `
      -- A send's Idempotency-Key, stored with its message in its transaction. The primary key is
      -- what makes two API processes given one key at once make one message: the second insert
      -- waits for the first to commit, then finds the key held. created_at is the send's: a key
      -- expired by then is taken over by it.
      CREATE TABLE idempotency_keys (
        client_id text NOT NULL,
        idempotency_key text NOT NULL,
        fingerprint text NOT NULL,
        sms_uid uuid NOT NULL,
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL,
        PRIMARY KEY (client_id, idempotency_key)
      );
      CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
    `,
  },
  {
    version: 5,
    name: 'client limits and sender, blocklist',
    sql: `
      -- As the operator wrote them; NULL: unset.
      ALTER TABLE clients ADD COLUMN rate text;
      ALTER TABLE clients ADD COLUMN daily_quota bigint;
      ALTER TABLE clients ADD COLUMN countries text;
      ALTER TABLE clients ADD COLUMN country_cap text;
      ALTER TABLE clients ADD COLUMN sender text;
      -- A global entry has client_id ''.
      CREATE TABLE blocklist (
        client_id text NOT NULL,
        entry text NOT NULL,
        created_at bigint NOT NULL,
        PRIMARY KEY (client_id, entry)
      );
      ALTER TABLE meta ADD COLUMN blocklist_version bigint NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 6,
    name: 'admin token hash, message search indexes',
    sql: `
      -- The admin API's bearer token, as a hash only (domain/admin-token.ts).
      ALTER TABLE meta ADD COLUMN admin_token_hash text;
      -- The operators' message search (admin API), newest first by sms_uid (UUIDv7: time
      -- ordered), served by an index whatever the filter, also at 10 million rows. An error
      -- status is rare: a partial index per error status costs only the messages that end in it.
      CREATE INDEX messages_phone ON messages (phone_number, sms_uid);
      CREATE INDEX messages_client ON messages (client_id, sms_uid);
      CREATE INDEX messages_error_rejected ON messages (sms_uid) WHERE status = 'error_rejected';
      CREATE INDEX messages_error_undeliverable ON messages (sms_uid) WHERE status = 'error_undeliverable';
      CREATE INDEX messages_error_expired ON messages (sms_uid) WHERE status = 'error_expired';
      CREATE INDEX messages_error_unknown ON messages (sms_uid) WHERE status = 'error_unknown';
    `,
  },
  {
    version: 7,
    name: 'callback events by message',
    sql: `
      -- The admin API's message view lists the message's callback events still owed or dead.
      CREATE INDEX callback_outbox_message ON callback_outbox (sms_uid);
    `,
  },
  {
    version: 8,
    name: 'acknowledged callback events kept',
    sql: `
      -- An acknowledged event stays, marked acknowledged_at (its attempts then count the try that
      -- succeeded), so the message view shows it delivered for as long as the message is kept;
      -- retention deletes it with its message. Acknowledging clears dead_at, so the dead rows'
      -- index holds none; the sender's index is rebuilt to leave them out, so claims never walk
      -- the delivered history.
      ALTER TABLE callback_outbox ADD COLUMN acknowledged_at bigint;
      DROP INDEX callback_outbox_due;
      CREATE INDEX callback_outbox_due ON callback_outbox (client_id, next_attempt_at) WHERE dead_at IS NULL AND acknowledged_at IS NULL;
    `,
  },
];
