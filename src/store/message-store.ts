import type { MessageStatus } from '../domain/message-status.js';
import type { Template } from '../domain/template.js';

/**
 * The durable store: clients, templates and messages. Every adapter (SQLite, PostgreSQL) passes
 * the same contract tests in test/store/contract.ts. Times are epoch milliseconds.
 */
export interface ClientRecord {
  readonly clientId: string;
  readonly passcodeHash: string;
  readonly enabled: boolean;
  readonly createdAt: number;
}

export interface NewMessage {
  readonly smsUid: string;
  readonly clientId: string;
  readonly templetId: string;
  /** E.164 */
  readonly phoneNumber: string;
  readonly text: string;
  readonly createdAt: number;
}

export interface MessageRecord extends NewMessage {
  readonly status: MessageStatus;
  /** "0", or the carrier's error code for a message in error. */
  readonly errorCode: string;
  readonly partCount: number;
  readonly attempts: number;
  readonly sentAt: number | null;
  /** When the message reached its final status. */
  readonly doneAt: number | null;
}

/** A queued message a dispatcher holds under a lease until it reports the outcome. */
export interface ClaimedMessage {
  readonly smsUid: string;
  readonly phoneNumber: string;
  readonly text: string;
  readonly createdAt: number;
  /** Submit attempts before this one. */
  readonly attempts: number;
}

export interface ClaimRequest {
  /** Who holds the claim (a dispatcher id); informational and for lease ownership. */
  readonly owner: string;
  readonly limit: number;
  readonly leaseMs: number;
  readonly now: number;
}

export interface SubmittedPart {
  /** 1-based */
  readonly partNo: number;
  /** As the SMSC gave it in submit_sm_resp. */
  readonly carrierMessageId: string;
}

export interface ReceiptUpdate {
  /** Every spelling the receipt's id may have been stored under (see domain/carrier-id.ts). */
  readonly carrierMessageIds: readonly string[];
  /** Status this receipt means for its part (domain/receipt-state.ts). */
  readonly status: MessageStatus;
  readonly errorCode: string;
  readonly at: number;
}

/** `applied`: a part matched; `pending`: none yet, kept until its submit is recorded. */
export type ReceiptOutcome = 'applied' | 'pending';

export interface MessageStore {
  // --- clients and templates (the catalog) -------------------------------------------------
  /** Grows on every catalog change, so caches can tell when to reload. */
  catalogVersion(): Promise<number>;
  /** Throws GatewayError CLIENT_EXISTS. */
  addClient(clientId: string, passcodeHash: string, now: number): Promise<void>;
  listClients(): Promise<ClientRecord[]>;
  /** Throws GatewayError CLIENT_NOT_FOUND. */
  setClientPasscodeHash(clientId: string, passcodeHash: string): Promise<void>;
  /** Throws GatewayError CLIENT_NOT_FOUND. */
  setClientEnabled(clientId: string, enabled: boolean): Promise<void>;
  /** Throws GatewayError TEMPLATE_EXISTS. */
  addTemplate(template: Template): Promise<void>;
  listTemplates(): Promise<Template[]>;
  /** False when there was no such template. */
  removeTemplate(templetId: string): Promise<boolean>;

  // --- messages ------------------------------------------------------------------------------
  /** Commits the whole batch in one transaction, all status `queuing`, or none of it. */
  insertMessages(batch: readonly NewMessage[]): Promise<void>;
  getMessage(smsUid: string): Promise<MessageRecord | undefined>;
  /** Number and time of every send accepted at or after `sinceMs` (to restore per-number limits). */
  recentSends(sinceMs: number): Promise<{ phoneNumber: string; createdAt: number }[]>;
  /**
   * Claims up to `limit` queued messages that are due and not under another live lease, oldest
   * first, and leases them to `owner` until now + leaseMs. A message whose lease ran out is
   * claimable again (its dispatcher died).
   */
  claimQueued(request: ClaimRequest): Promise<ClaimedMessage[]>;
  /**
   * queuing -> sent: records the part ids the SMSC gave, counts the attempt, ends the lease, and
   * applies any receipts that arrived for these ids before this call.
   */
  markSent(smsUid: string, parts: readonly SubmittedPart[], now: number): Promise<void>;
  /** Who holds leases on queued messages now. */
  leaseOwners(): Promise<string[]>;
  /** Ends every lease `owner` holds (it is known to be dead), so others may claim at once. */
  releaseLeases(owner: string): Promise<number>;
  /** Leaves the message `queuing`, counts the attempt, ends the lease; due again at `dueAt`. */
  markRetry(smsUid: string, dueAt: number): Promise<void>;
  /** Ends a message that never reached the carrier (rejected submit, expiry while queued). */
  markFailed(smsUid: string, status: MessageStatus, errorCode: string, now: number): Promise<void>;
  /** Applies a delivery receipt to the part it names; see ReceiptOutcome. */
  applyReceipt(receipt: ReceiptUpdate): Promise<ReceiptOutcome>;
  /** Ends as error_expired every message not final whose createdAt is before `createdBefore`. */
  expireMessages(createdBefore: number, now: number): Promise<number>;
  /**
   * Retention: deletes messages that reached their final status before `cutoffMs`, with their
   * parts, and receipts still waiting for a submit that arrived before it. Returns messages deleted.
   */
  deleteFinishedBefore(cutoffMs: number): Promise<number>;
  close(): Promise<void>;
}
