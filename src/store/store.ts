import type { AdminTokenStore } from './admin-token-store.js';
import type { CallbackOutbox } from './callback-outbox.js';
import type { BlocklistStore } from './blocklist-store.js';
import type { CatalogStore } from './catalog-store.js';
import type { MessageLookupStore } from './message-lookup-store.js';
import type { MessageStore } from './message-store.js';

/**
 * The durable store: the catalog and the messages, as one object over one database. Every
 * adapter passes the same contract tests (test/store/contract.ts). Times are epoch milliseconds.
 *
 * Write rules, by adapter:
 * - SQLite (the embedded default, one process): every write goes through the one writer (the
 *   WriteCombiner): the writes asked for in one turn of the event loop share one transaction
 *   (one that fails is undone alone: write-combiner.ts), and a caller hears back only after that transaction committed
 *   and its WAL was synced to disk (WalSync). Reads run at once on the same connection.
 * - PostgreSQL (many processes sharing one database): each catalog change and each API write
 *   is its own transaction on the pool. The dispatcher's submits and receipts of one turn run in
 *   one transaction (the TransactionCombiner), set-based per kind, after an advisory lock on
 *   every carrier id they touch, taken in one global order; a batch that fails is run again
 *   write by write. Claims and expiry skip rows others hold (SKIP LOCKED). A caller hears back
 *   after the commit.
 * Under both, a method that changes a message's status answers the StatusTransitions it made,
 * after they are durable, and writes the callback events they owe in the same transaction
 * (callback-outbox.ts). Retention (deleteFinishedBefore) also deletes the acknowledged callback
 * events of the messages it deletes, and dead ones that died before its cutoff; events still owed
 * are never dropped by it.
 */
export type Store = CatalogStore & BlocklistStore & MessageStore & CallbackOutbox & MessageLookupStore & AdminTokenStore & { close(): Promise<void> };
