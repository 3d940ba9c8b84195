import type pg from 'pg';
import { normaliseCarrierId } from '../../domain/carrier-id.js';
import type { Template } from '../../domain/template.js';
import type { MessageStatus } from '../../domain/message-status.js';
import type { StatusTransition } from '../../domain/status-transition.js';
import type { MessageFilter, MessagePart, QueueDepth, WindowCounts } from '../message-lookup-store.js';
import type { CallbackClaimRequest, DeadCallbackEvent, MessageCallbackEvent, OwedCallbackEvent } from '../callback-outbox.js';
import type { ClientCallback, ClientRecord } from '../catalog-store.js';
import type { BlockedEntry } from '../../domain/blocklist.js';
import type { ClientLimitSettings } from '../../domain/client-limits.js';
import { PostgresBlocklist } from './blocklist.js';
import type {
  AwaitingReceiptPart,
  ClaimRequest,
  ClaimedMessage,
  IdempotencyRecord,
  MessageRecord,
  NewMessage,
  ReceiptCandidateMatch,
  ReceiptQueryRequest,
  ReceiptResult,
  ReceiptUpdate,
  SubmittedPart,
} from '../message-store.js';
import type { Store } from '../store.js';
import { PostgresCallbackEvents } from './callback-events.js';
import { PostgresCallbackOutbox } from './callback-outbox.js';
import { PostgresCatalog } from './catalog.js';
import { PostgresLookups } from './lookups.js';
import { markSentBatchInTransaction, markSentInTransaction, PostgresMessages, type SentRecord } from './messages.js';
import { runMigrations } from './migrations.js';
import { createPool, type PoolOptions } from './pool.js';
import { applyReceiptsBatchInTransaction } from './receipt-batch.js';
import { applyReceiptInTransaction } from './receipts.js';
import { deleteExpiredIdempotencyKeys, deleteFinishedBefore } from './retention.js';
import { TransactionCombiner, type WriteGroup } from './transaction-combiner.js';
import type { CommitObserver } from '../commit-observer.js';


export interface PostgresStoreOptions extends PoolOptions {
  /** Apply pending migrations before use (default true). */
  readonly migrate?: boolean;
  /** How stale "does any client have a callback URL" may get (default CALLBACK_FLAG_REFRESH_MS); tests set it long. */
  readonly callbackFlagRefreshMs?: number;
  /** Told of each transaction the dispatcher's writer commits (metrics). */
  readonly onCommit?: CommitObserver;
}

/**
 * The Store on PostgreSQL, for many API and dispatcher processes sharing one database.
 * The schema is the connection's search_path (e.g. `?options=-c%20search_path%3Dsmsgate`).
 */
export class PostgresStore implements Store {
  private readonly catalog: PostgresCatalog;
  private readonly blocklist: PostgresBlocklist;
  private readonly messages: PostgresMessages;
  private readonly lookups: PostgresLookups;
  /** The dispatcher's writes: many per transaction. */
  private readonly writes: TransactionCombiner;
  private readonly callbackEvents: PostgresCallbackEvents;
  private readonly callbacks: PostgresCallbackOutbox;
  /** Submits recorded together: one UPDATE and one INSERT for a whole batch, and one for their callback events. */
  private readonly markSentGroup: WriteGroup<SentRecord, StatusTransition[]>;
  /** Receipts applied together: their parts found at once, their messages locked in one order. */
  private readonly applyReceiptGroup: WriteGroup<ReceiptUpdate, ReceiptResult>;

  private constructor(
    private readonly pool: pg.Pool,
    callbackFlagRefreshMs: number | undefined,
    onCommit: CommitObserver | undefined,
  ) {
    this.catalog = new PostgresCatalog(pool);
    this.lookups = new PostgresLookups(pool);
    this.callbackEvents = new PostgresCallbackEvents(pool, callbackFlagRefreshMs);
    this.callbacks = new PostgresCallbackOutbox(pool);
    this.messages = new PostgresMessages(pool, this.callbackEvents);
    this.blocklist = new PostgresBlocklist(pool);
    this.writes = new TransactionCombiner(pool, onCommit);
    const events = this.callbackEvents;
    this.markSentGroup = {
      name: 'markSent',
      runAll: async (client, records) => {
        const answers = await markSentBatchInTransaction(client, records);
        await events.record(client, answers.flat());
        return answers;
      },
    };
    this.applyReceiptGroup = {
      name: 'applyReceipt',
      runAll: async (client, receipts) => {
        const results = await applyReceiptsBatchInTransaction(client, receipts);
        await events.record(client, results.flatMap((result) => result.transitions));
        return results;
      },
    };
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
    return new PostgresStore(pool, options.callbackFlagRefreshMs, options.onCommit);
  }

  async catalogVersion(): Promise<number> {
    const version = await this.catalog.version();
    this.callbackEvents.sawCatalogVersion(version);
    return version;
  }
  blocklistVersion(): Promise<number> {
    return this.blocklist.version();
  }
  addBlocked(entry: BlockedEntry, now: number): Promise<boolean> {
    return this.blocklist.add(entry, now);
  }
  removeBlocked(entry: BlockedEntry): Promise<boolean> {
    return this.blocklist.remove(entry);
  }
  listBlocked(): Promise<BlockedEntry[]> {
    return this.blocklist.list();
  }
  setClientLimits(clientId: string, limits: ClientLimitSettings): Promise<void> {
    return this.catalog.setClientLimits(clientId, limits);
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
  async setClientCallback(clientId: string, callback: ClientCallback | null): Promise<void> {
    await this.catalog.setClientCallback(clientId, callback);
    this.callbackEvents.callbackChanged();
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

  insertMessages(batch: readonly NewMessage[]): Promise<readonly IdempotencyRecord[]> {
    return this.messages.insert(batch);
  }
  findIdempotencyKey(clientId: string, key: string, now: number): Promise<IdempotencyRecord | undefined> {
    return this.messages.findKey(clientId, key, now);
  }
  deleteExpiredIdempotencyKeys(now: number): Promise<number> {
    return deleteExpiredIdempotencyKeys(this.pool, now);
  }
  getMessage(smsUid: string): Promise<MessageRecord | undefined> {
    return this.messages.get(smsUid);
  }
  recentSends(sinceMs: number): Promise<{ clientId: string; phoneNumber: string; createdAt: number }[]> {
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
    return this.writes.runGrouped(ids, this.markSentGroup, { smsUid, parts, now }, async (client) => {
      const transitions = await markSentInTransaction(client, smsUid, parts, now);
      await this.callbackEvents.record(client, transitions);
      return transitions;
    });
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
    return this.writes.runGrouped(receipt.carrierMessageIds, this.applyReceiptGroup, receipt, async (client) => {
      const result = await applyReceiptInTransaction(client, receipt);
      await this.callbackEvents.record(client, result.transitions);
      return result;
    });
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

  clientsWithDueCallbacks(now: number): Promise<string[]> {
    return this.callbacks.clientsWithDueCallbacks(now);
  }
  claimCallbackEvents(request: CallbackClaimRequest): Promise<OwedCallbackEvent[]> {
    return this.callbacks.claimCallbackEvents(request);
  }
  acknowledgeCallbackEvents(eventIds: readonly string[], now: number): Promise<void> {
    return this.callbacks.acknowledgeCallbackEvents(eventIds, now);
  }
  rescheduleCallbackEvents(eventIds: readonly string[], nextAttemptAt: number, lastError: string): Promise<void> {
    return this.callbacks.rescheduleCallbackEvents(eventIds, nextAttemptAt, lastError);
  }
  callbackEventsOfMessage(smsUid: string): Promise<MessageCallbackEvent[]> {
    return this.callbacks.callbackEventsOfMessage(smsUid);
  }
  hastenCallbackEvents(clientId: string, now: number): Promise<number> {
    return this.callbacks.hastenCallbackEvents(clientId, now);
  }
  buryCallbackEvents(eventIds: readonly string[], lastError: string, now: number): Promise<void> {
    return this.callbacks.buryCallbackEvents(eventIds, lastError, now);
  }
  deadCallbackEvents(filter: { clientId?: string; limit: number }): Promise<DeadCallbackEvent[]> {
    return this.callbacks.deadCallbackEvents(filter);
  }
  reviveDeadCallbackEvents(filter: { clientId?: string; now: number }): Promise<number> {
    return this.callbacks.reviveDeadCallbackEvents(filter);
  }
  callbackBacklog(): Promise<{ owed: number; dead: number }> {
    return this.callbacks.callbackBacklog();
  }

  async close(): Promise<void> {
    await this.writes.settled();
    await this.pool.end();
  }
}
