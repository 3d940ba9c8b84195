import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { GatewayError } from '../../domain/errors.js';
import { carrierIdCandidates, normaliseCarrierId } from '../../domain/carrier-id.js';
import { canTransition, isFinalStatus, type MessageStatus } from '../../domain/message-status.js';
import { partsOutcome } from '../../domain/receipt-state.js';
import type { Template } from '../../domain/template.js';
import type {
  ClaimRequest,
  ClaimedMessage,
  ClientRecord,
  MessageRecord,
  MessageStore,
  NewMessage,
  ReceiptOutcome,
  ReceiptUpdate,
  SubmittedPart,
} from '../message-store.js';
import { MIGRATIONS } from './schema.js';
import { toMessageRecord, type MessageRow } from '../message-row.js';
import { prepareStatements, type Statements } from './statements.js';
import { WalSync } from './wal-sync.js';
import { WriteCombiner } from './write-combiner.js';

const RETENTION_BATCH = 2000;


/**
 * The embedded store: one SQLite file in WAL mode. better-sqlite3 is synchronous; reads run at
 * once, writes go through the WriteCombiner so that a turn of the event loop pays one commit.
 */
export class SqliteStore implements MessageStore {
  private readonly sql: Statements;
  private readonly writes: WriteCombiner;

  private constructor(
    private readonly db: Database.Database,
    private readonly walSync: WalSync | undefined,
  ) {
    this.sql = prepareStatements(db);
    this.writes = new WriteCombiner(db, walSync);
  }

  static open(path: string): SqliteStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    // A committed send must survive power loss too, not just a killed process: every commit's
    // WAL is fdatasync()ed before its callers hear of it, off the main thread (wal-sync.ts).
    const inMemory = path === ':memory:';
    db.pragma(inMemory ? 'synchronous = FULL' : 'synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return new SqliteStore(db, inMemory ? undefined : new WalSync(`${path}-wal`));
  }

  async catalogVersion(): Promise<number> {
    return (this.sql.catalogVersion.get() as { value: number }).value;
  }

  async addClient(clientId: string, passcodeHash: string, now: number): Promise<void> {
    await this.catalogChange(() => {
      const added = this.sql.insertClient.run(clientId, passcodeHash, now);
      if (added.changes === 0) throw new GatewayError('CLIENT_EXISTS', `client ${clientId} exists already`);
    });
  }

  async listClients(): Promise<ClientRecord[]> {
    const rows = this.sql.listClients.all() as { client_id: string; passcode_hash: string; enabled: number; created_at: number }[];
    return rows.map((row) => ({
      clientId: row.client_id,
      passcodeHash: row.passcode_hash,
      enabled: row.enabled === 1,
      createdAt: row.created_at,
    }));
  }

  async setClientPasscodeHash(clientId: string, passcodeHash: string): Promise<void> {
    await this.catalogChange(() => expectClient(this.sql.setPasscodeHash.run(passcodeHash, clientId).changes, clientId));
  }

  async setClientEnabled(clientId: string, enabled: boolean): Promise<void> {
    await this.catalogChange(() => expectClient(this.sql.setEnabled.run(enabled ? 1 : 0, clientId).changes, clientId));
  }

  async addTemplate(template: Template): Promise<void> {
    await this.catalogChange(() => {
      const added = this.sql.insertTemplate.run(template.templetId, template.body, template.clientId);
      if (added.changes === 0) throw new GatewayError('TEMPLATE_EXISTS', `template ${template.templetId} exists already`);
    });
  }

  async listTemplates(): Promise<Template[]> {
    const rows = this.sql.listTemplates.all() as { templet_id: string; body: string; client_id: string | null }[];
    return rows.map((row) => ({ templetId: row.templet_id, body: row.body, clientId: row.client_id }));
  }

  async removeTemplate(templetId: string): Promise<boolean> {
    return this.catalogChange(() => this.sql.deleteTemplate.run(templetId).changes > 0);
  }

  insertMessages(batch: readonly NewMessage[]): Promise<void> {
    return this.writes.run(() => {
      for (const m of batch) {
        this.sql.insertMessage.run(m.smsUid, m.clientId, m.templetId, m.phoneNumber, m.text, m.createdAt, m.createdAt);
      }
    });
  }

  async getMessage(smsUid: string): Promise<MessageRecord | undefined> {
    const row = this.sql.getMessage.get(smsUid) as MessageRow | undefined;
    return row && toMessageRecord(row);
  }

  async recentSends(sinceMs: number): Promise<{ phoneNumber: string; createdAt: number }[]> {
    const sends: { phoneNumber: string; createdAt: number }[] = [];
    for (const row of this.sql.newestSends.iterate() as IterableIterator<{ phone_number: string; created_at: number }>) {
      if (row.created_at < sinceMs) break;
      sends.push({ phoneNumber: row.phone_number, createdAt: row.created_at });
    }
    return sends.reverse();
  }

  async claimQueued(request: ClaimRequest): Promise<ClaimedMessage[]> {
    const rows = await this.writes.run(() => this.sql.claim.all({
      owner: request.owner,
      until: request.now + request.leaseMs,
      now: request.now,
      limit: request.limit,
    }) as { sms_uid: string; phone_number: string; text: string; created_at: number; attempts: number; due_at: number }[]);
    rows.sort((a, b) => a.due_at - b.due_at || a.created_at - b.created_at);
    return rows.map((row) => ({
      smsUid: row.sms_uid,
      phoneNumber: row.phone_number,
      text: row.text,
      createdAt: row.created_at,
      attempts: row.attempts,
    }));
  }

  async leaseOwners(): Promise<string[]> {
    return (this.sql.leaseOwners.all() as { lease_owner: string }[]).map((row) => row.lease_owner);
  }

  releaseLeases(owner: string): Promise<number> {
    return this.writes.run(() => this.sql.releaseLeases.run(owner).changes);
  }

  markSent(smsUid: string, parts: readonly SubmittedPart[], now: number): Promise<void> {
    return this.writes.run(() => {
      const moved = this.sql.markSent.run(parts.length, now, smsUid).changes;
      if (moved === 0) return; // already final (expired meanwhile): the outcome stands
      for (const part of parts) {
        const id = normaliseCarrierId(part.carrierMessageId);
        this.sql.insertPart.run(smsUid, part.partNo, id);
        this.applyPendingReceipts(smsUid, part.partNo, id);
      }
      this.settleMessage(smsUid, now);
    });
  }

  private applyPendingReceipts(smsUid: string, partNo: number, carrierId: string): void {
    for (const candidate of carrierIdCandidates(carrierId)) {
      const pending = this.sql.takePendingReceipts.all(candidate) as { status: MessageStatus; error_code: string }[];
      for (const receipt of pending) this.updatePart(smsUid, partNo, receipt.status, receipt.error_code);
    }
  }

  async markRetry(smsUid: string, dueAt: number): Promise<void> {
    await this.writes.run(() => this.sql.markRetry.run(dueAt, smsUid));
  }

  async markFailed(smsUid: string, status: MessageStatus, errorCode: string, now: number): Promise<void> {
    await this.writes.run(() => this.sql.markFailed.run(status, errorCode, now, smsUid));
  }

  applyReceipt(receipt: ReceiptUpdate): Promise<ReceiptOutcome> {
    return this.writes.run((): ReceiptOutcome => {
      const part = this.findPart(receipt.carrierMessageIds);
      if (!part) {
        const id = receipt.carrierMessageIds[0] ?? '';
        this.sql.insertPendingReceipt.run(normaliseCarrierId(id), receipt.status, receipt.errorCode, receipt.at);
        return 'pending';
      }
      this.updatePart(part.sms_uid, part.part_no, receipt.status, receipt.errorCode);
      this.settleMessage(part.sms_uid, receipt.at);
      return 'applied';
    });
  }

  private findPart(candidates: readonly string[]): { sms_uid: string; part_no: number } | undefined {
    for (const id of candidates) {
      const part = this.sql.findPart.get(normaliseCarrierId(id)) as { sms_uid: string; part_no: number } | undefined;
      if (part) return part;
    }
    return undefined;
  }

  private updatePart(smsUid: string, partNo: number, status: MessageStatus, errorCode: string): void {
    const current = this.sql.getPart.get(smsUid, partNo) as { status: MessageStatus } | undefined;
    if (current && canTransition(current.status, status)) this.sql.setPartStatus.run(status, errorCode, smsUid, partNo);
  }

  /** Moves the message to what its parts together say, if that is a step forward. */
  private settleMessage(smsUid: string, now: number): void {
    const message = this.sql.getStatus.get(smsUid) as { status: MessageStatus; part_count: number } | undefined;
    if (!message) return;
    const parts = this.sql.partStatuses.all(smsUid) as { status: MessageStatus; error_code: string }[];
    if (parts.length < message.part_count) return; // not every part recorded yet
    const next = partsOutcome(parts.map((p) => ({ status: p.status, errorCode: p.error_code })));
    if (!canTransition(message.status, next.status)) return;
    this.sql.settle.run(next.status, next.errorCode, isFinalStatus(next.status) ? now : null, smsUid);
  }

  async expireMessages(createdBefore: number, now: number): Promise<number> {
    return this.writes.run(
      () => this.sql.expireQueued.run(now, createdBefore).changes + this.sql.expireSent.run(now, createdBefore).changes,
    );
  }

  async deleteFinishedBefore(cutoffMs: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      // Small batches: each is one write turn, so sends are never held up for long.
      const count = await this.writes.run(() => {
        const gone = this.sql.deleteFinishedBatch.all(cutoffMs, RETENTION_BATCH) as { sms_uid: string }[];
        for (const { sms_uid } of gone) this.sql.deleteParts.run(sms_uid);
        return gone.length;
      });
      deleted += count;
      if (count < RETENTION_BATCH) break;
    }
    await this.writes.run(() => this.sql.deleteOldPendingReceipts.run(cutoffMs));
    return deleted;
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.writes.flush();
    await this.writes.settled();
    this.db.close();
    this.walSync?.close();
  }

  private catalogChange<T>(change: () => T): Promise<T> {
    return this.writes.run(() => {
      const result = change();
      this.sql.bumpCatalog.run();
      return result;
    });
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

function expectClient(changes: number, clientId: string): void {
  if (changes === 0) throw new GatewayError('CLIENT_NOT_FOUND', `no client ${clientId}`);
}

