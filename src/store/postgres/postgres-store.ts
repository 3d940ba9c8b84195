import type pg from 'pg';
import { normaliseCarrierId } from '../../domain/carrier-id.js';
import type { Template } from '../../domain/template.js';
import type { MessageStatus } from '../../domain/message-status.js';
import type { StatusTransition } from '../../domain/status-transition.js';
import type { ClientRecord } from '../catalog-store.js';
import type { MessageFilter, MessagePart, QueueDepth, WindowCounts } from '../message-lookup-store.js';
import type {
  AwaitingReceiptPart,
  ClaimRequest,
  ClaimedMessage,
  MessageRecord,
  NewMessage,
  ReceiptCandidateMatch,
  ReceiptQueryRequest,
  ReceiptResult,
  ReceiptUpdate,
  SubmittedPart,
} from '../message-store.js';
import type { Store } from '../store.js';
import { PostgresCatalog } from './catalog.js';
import { PostgresLookups } from './lookups.js';
import { markSentBatchInTransaction, markSentInTransaction, PostgresMessages, type SentRecord } from './messages.js';
import { runMigrations } from './migrations.js';
import { createPool, type PoolOptions } from './pool.js';
import { applyReceiptsBatchInTransaction } from './receipt-batch.js';
import { applyReceiptInTransaction } from './receipts.js';
import { deleteFinishedBefore } from './retention.js';
import { TransactionCombiner, type WriteGroup } from './transaction-combiner.js';
import type { CommitObserver } from '../commit-observer.js';

/** Submits recorded together: one UPDATE and one INSERT for a whole batch. */
const MARK_SENT: WriteGroup<SentRecord, StatusTransition[]> = { name: 'markSent', runAll: markSentBatchInTransaction };
/** Receipts applied together: their parts found at once, their messages locked in one order. */
const APPLY_RECEIPT: WriteGroup<ReceiptUpdate, ReceiptResult> = { name: 'applyReceipt', runAll: applyReceiptsBatchInTransaction };

export interface PostgresStoreOptions extends PoolOptions {
  /** Apply pending migrations before use (default true). */
  readonly migrate?: boolean;
  /** Told of each transaction the dispatcher's writer commits (metrics). */
  readonly onCommit?: CommitObserver;
}

/**
 * The Store on PostgreSQL, for many API and dispatcher processes sharing one database.
 * The schema is the connection's search_path (e.g. `?options=-c%20search_path%3Dsmsgate`).
 */
export class PostgresStore implements Store {
  private readonly catalog: PostgresCatalog;
  private readonly messages: PostgresMessages;
  private readonly lookups: PostgresLookups;
  /** The dispatcher's writes: many per transaction. */
  private readonly writes: TransactionCombiner;

  private constructor(
    private readonly pool: pg.Pool,
    onCommit: CommitObserver | undefined,
  ) {
    this.catalog = new PostgresCatalog(pool);
    this.messages = new PostgresMessages(pool);
    this.lookups = new PostgresLookups(pool);
    this.writes = new TransactionCombiner(pool, onCommit);
  }

  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = createPool(url, options);
    try {
      if (options.migrate ?? true) await runMigrations(pool);
      else await pool.query('SELECT 1');
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresStore(pool, options.onCommit);
  }

  catalogVersion(): Promise<number> {
    return this.catalog.version();
  }
  addClient(clientId: string, passcodeHash: string, now: number): Promise<void> {
    return this.catalog.addClient(clientId, passcodeHash, now);
  }
  listClients(): Promise<ClientRecord[]> {
    return this.catalog.listClients();
  }
  setClientPasscodeHash(clientId: string, passcodeHash: string): Promise<void> {
    return this.catalog.setClientPasscodeHash(clientId, passcodeHash);
  }
  setClientEnabled(clientId: string, enabled: boolean): Promise<void> {
    return this.catalog.setClientEnabled(clientId, enabled);
  }
  addTemplate(template: Template): Promise<void> {
    return this.catalog.addTemplate(template);
  }
  listTemplates(): Promise<Template[]> {
    return this.catalog.listTemplates();
  }
  removeTemplate(templetId: string): Promise<boolean> {
    return this.catalog.removeTemplate(templetId);
  }
  adminTokenHash(): Promise<string | undefined> {
    return this.catalog.adminTokenHash();
  }
  initAdminTokenHash(hash: string): Promise<boolean> {
    return this.catalog.initAdminTokenHash(hash);
  }
  setAdminTokenHash(hash: string): Promise<void> {
    return this.catalog.setAdminTokenHash(hash);
  }

  findMessages(filter: MessageFilter): Promise<MessageRecord[]> {
    return this.lookups.find(filter);
  }
  messageParts(smsUid: string): Promise<MessagePart[]> {
    return this.lookups.parts(smsUid);
  }
  countAcceptedSince(sinceMs: number): Promise<WindowCounts> {
    return this.lookups.countAcceptedSince(sinceMs);
  }
  queueDepth(): Promise<QueueDepth> {
    return this.lookups.queueDepth();
  }

  insertMessages(batch: readonly NewMessage[]): Promise<void> {
    return this.messages.insert(batch);
  }
  getMessage(smsUid: string): Promise<MessageRecord | undefined> {
    return this.messages.get(smsUid);
  }
  recentSends(sinceMs: number): Promise<{ phoneNumber: string; createdAt: number }[]> {
    return this.messages.recentSends(sinceMs);
  }

  leaseOwners(): Promise<string[]> {
    return this.messages.leaseOwners();
  }

  releaseLeases(owner: string): Promise<number> {
    return this.messages.releaseLeases(owner);
  }

  claimQueued(request: ClaimRequest): Promise<ClaimedMessage[]> {
    return this.messages.claim(request);
  }
  markSent(smsUid: string, parts: readonly SubmittedPart[], now: number): Promise<StatusTransition[]> {
    const ids = parts.map((part) => normaliseCarrierId(part.carrierMessageId));
    return this.writes.runGrouped(ids, MARK_SENT, { smsUid, parts, now }, (client) => markSentInTransaction(client, smsUid, parts, now));
  }
  markRetry(smsUid: string, dueAt: number): Promise<void> {
    return this.messages.markRetry(smsUid, dueAt);
  }
  markRejected(smsUid: string, errorCode: string, now: number): Promise<StatusTransition[]> {
    return this.messages.markFailed(smsUid, 'error_rejected', errorCode, now, true);
  }
  markFailed(smsUid: string, status: MessageStatus, errorCode: string, now: number): Promise<StatusTransition[]> {
    return this.messages.markFailed(smsUid, status, errorCode, now, false);
  }
  applyReceipt(receipt: ReceiptUpdate): Promise<ReceiptResult> {
    return this.writes.runGrouped(receipt.carrierMessageIds, APPLY_RECEIPT, receipt, (client) => applyReceiptInTransaction(client, receipt));
  }
  receiptMatches(carrierIds: readonly string[]): Promise<ReceiptCandidateMatch[]> {
    return this.messages.receiptMatches(carrierIds);
  }
  claimReceiptQueries(request: ReceiptQueryRequest): Promise<AwaitingReceiptPart[]> {
    return this.messages.claimReceiptQueries(request);
  }
  expireMessages(createdBefore: number, now: number): Promise<StatusTransition[]> {
    return this.messages.expire(createdBefore, now);
  }
  /** Retention: see retention.ts. */
  deleteFinishedBefore(cutoffMs: number): Promise<number> {
    return deleteFinishedBefore(this.pool, cutoffMs);
  }

  async close(): Promise<void> {
    await this.writes.settled();
    await this.pool.end();
  }
}
