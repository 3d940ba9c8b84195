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
    // Numbered high: the migrations of other branches take the numbers between.
    version: 7,
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
];
