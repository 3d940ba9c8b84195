import Database from 'better-sqlite3';
import type { MessageStatus } from '../../domain/message-status.js';
import type { StatusTransition } from '../../domain/status-transition.js';
import type { Template } from '../../domain/template.js';
import type { MessageFilter, MessagePart, QueueDepth, WindowCounts } from '../message-lookup-store.js';
import type { CallbackClaimRequest, DeadCallbackEvent, MessageCallbackEvent, OwedCallbackEvent } from '../callback-outbox.js';
import type { ClientCallback, ClientRecord } from '../catalog-store.js';
import type { BlockedEntry } from '../../domain/blocklist.js';
import type { ClientLimitSettings } from '../../domain/client-limits.js';
import { SqliteBlocklist } from './blocklist.js';
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
import { SqliteCallbackEvents } from './callback-events.js';
import { SqliteCallbackOutbox } from './callback-outbox.js';
import { SqliteCatalog } from './catalog.js';
import { SqliteLookups } from './lookups.js';
import { SqliteMessages } from './messages.js';
import { PartRows } from './part-rows.js';
import { PendingReceipts } from './pending-receipts.js';
import { SqliteReceipts } from './receipts.js';
import { MIGRATIONS } from './schema.js';
import { createPrivateFile } from './private-file.js';
import { prepareStatements } from './statements.js';
import { WalSync } from './wal-sync.js';
import { WriteCombiner } from './write-combiner.js';
import type { CommitObserver } from '../commit-observer.js';

/**
 * The embedded store: one SQLite file in WAL mode. better-sqlite3 is synchronous; reads run at
 * once, writes go through the WriteCombiner so that a turn of the event loop pays one commit.
 * This class only opens, closes and delegates: catalog.ts, messages.ts, receipts.ts do the work.
 */
export class SqliteStore implements Store {
  private readonly writes: WriteCombiner;
  private readonly catalog: SqliteCatalog;
  private readonly blocklist: SqliteBlocklist;
  private readonly messages: SqliteMessages;
  private readonly receipts: SqliteReceipts;
  private readonly lookups: SqliteLookups;
  private readonly callbacks: SqliteCallbackOutbox;

  private constructor(
    private readonly db: Database.Database,
    private readonly walSync: WalSync | undefined,
    onCommit: CommitObserver | undefined,
  ) {
    const sql = prepareStatements(db);
    this.writes = new WriteCombiner(db, walSync, onCommit);
    const callbackEvents = new SqliteCallbackEvents(sql, this.writes);
    this.catalog = new SqliteCatalog(sql, this.writes, callbackEvents);
    this.blocklist = new SqliteBlocklist(db, this.writes);
    const pending = new PendingReceipts(sql, this.writes);
    const partRows = new PartRows(sql, this.writes);
    this.lookups = new SqliteLookups(db);
    this.messages = new SqliteMessages(sql, this.writes, pending, partRows, callbackEvents);
    this.receipts = new SqliteReceipts(sql, this.writes, pending, partRows, callbackEvents);
    this.callbacks = new SqliteCallbackOutbox(sql, this.writes);
  }

  /** `onCommit`: told of each transaction the writer commits (metrics). */
  static open(path: string, onCommit?: CommitObserver): SqliteStore {
    if (path !== ':memory:') createPrivateFile(path);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    // A committed send must survive power loss too, not just a killed process: every commit's
    // WAL is fdatasync()ed before its callers hear of it, off the main thread (wal-sync.ts).
    const inMemory = path === ':memory:';
    db.pragma(inMemory ? 'synchronous = FULL' : 'synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return new SqliteStore(db, inMemory ? undefined : new WalSync(`${path}-wal`), onCommit);
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
  setClientCallback(clientId: string, callback: ClientCallback | null): Promise<void> {
    return this.catalog.setClientCallback(clientId, callback);
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

  insertMessages(batch: readonly NewMessage[]): Promise<readonly IdempotencyRecord[]> {
    return this.messages.insert(batch);
  }
  findIdempotencyKey(clientId: string, key: string, now: number): Promise<IdempotencyRecord | undefined> {
    return this.messages.findKey(clientId, key, now);
  }
  deleteExpiredIdempotencyKeys(now: number): Promise<number> {
    return this.messages.deleteExpiredKeys(now);
  }
  getMessage(smsUid: string): Promise<MessageRecord | undefined> {
    return this.messages.get(smsUid);
  }
  recentSends(sinceMs: number): Promise<{ clientId: string; phoneNumber: string; createdAt: number }[]> {
    return this.messages.recentSends(sinceMs);
  }
  claimQueued(request: ClaimRequest): Promise<ClaimedMessage[]> {
    return this.messages.claim(request);
  }
  leaseOwners(): Promise<string[]> {
    return this.messages.leaseOwners();
  }
  releaseLeases(owner: string): Promise<number> {
    return this.messages.releaseLeases(owner);
  }
  markSent(smsUid: string, parts: readonly SubmittedPart[], now: number): Promise<StatusTransition[]> {
    return this.messages.markSent(smsUid, parts, now);
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
    return this.receipts.apply(receipt);
  }
  receiptMatches(carrierIds: readonly string[]): Promise<ReceiptCandidateMatch[]> {
    return this.receipts.matches(carrierIds);
  }
  claimReceiptQueries(request: ReceiptQueryRequest): Promise<AwaitingReceiptPart[]> {
    return this.messages.claimReceiptQueries(request);
  }
  expireMessages(createdBefore: number, now: number): Promise<StatusTransition[]> {
    return this.messages.expire(createdBefore, now);
  }
  async deleteFinishedBefore(cutoffMs: number): Promise<number> {
    const deleted = await this.messages.deleteFinishedBefore(cutoffMs);
    await this.callbacks.deleteDeadBefore(cutoffMs);
    return deleted;
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

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.writes.flush();
    await this.writes.settled();
    this.db.close();
    this.walSync?.close();
  }
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
