import type { MessageStatus } from '../domain/message-status.js';
import type { StatusTransition } from '../domain/status-transition.js';

/**
 * Messages, the dispatch queue, delivery receipts and retention. Every adapter (SQLite,
 * PostgreSQL) passes the same contract tests in test/store/contract.ts; how each one writes is
 * stated in store.ts. Times are epoch milliseconds.
 *
 * Status changes: a message only moves forward (domain/message-status.ts), and every method
 * that moves one answers the StatusTransitions it made, in the order it made them; a call that
 * changed nothing answers none.
 */

export interface NewMessage {
  readonly smsUid: string;
  readonly clientId: string;
  readonly templetId: string;
  /** E.164 */
  readonly phoneNumber: string;
  readonly text: string;
  readonly createdAt: number;
  /** Present when the send came with an Idempotency-Key: stored with the message, or instead of it. */
  readonly idempotency?: IdempotencyClaim;
}

/** What a send with an Idempotency-Key asks to hold, for the key's client (the message's). */
export interface IdempotencyClaim {
  readonly key: string;
  /** domain/idempotency.ts sendFingerprint of the request. */
  readonly fingerprint: string;
  /** After this the key is free again (an expired key is taken over by the next send with it). */
  readonly expiresAt: number;
}

/** A key a send holds: the message it stands for and what that send asked for. */
export interface IdempotencyRecord {
  readonly clientId: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly smsUid: string;
  readonly expiresAt: number;
}

export interface MessageRecord extends Omit<NewMessage, 'idempotency'> {
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
  /** Whose send it is: every log line about a message names both, and its sender (source_addr) is the client's, looked up when it is submitted. */
  readonly clientId: string;
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
  /** As the SMSC gave it in submit_sm_resp (kept as given too: query_sm must name it so). */
  readonly carrierMessageId: string;
  /** The connection it went over (SubmitResult.connection): receipt id styles are per connection. */
  readonly connection?: string;
}

/** A message holding one of a receipt's candidate ids, for the dispatcher to decide the receipt. */
export interface ReceiptCandidateMatch {
  /** Normal form (domain/carrier-id.ts). */
  readonly carrierMessageId: string;
  readonly status: MessageStatus;
  /** The connection its part went over; undefined for parts recorded without one. */
  readonly connection: string | undefined;
  /** The part holding it, as query_sm would ask about it. */
  readonly part: AwaitingReceiptPart;
}

/** A part of a message long in `sent`, to ask the SMSC about (query_sm). */
export interface AwaitingReceiptPart {
  readonly smsUid: string;
  /** Its client: every log line about a message names both. */
  readonly clientId: string;
  readonly phoneNumber: string;
  readonly partNo: number;
  /** As the SMSC answered the submit (the normal form for parts recorded before it was kept). */
  readonly carrierMessageId: string;
  readonly connection: string | undefined;
}

export interface ReceiptQueryRequest {
  /** Only messages sent before this. */
  readonly sentBefore: number;
  /** Only messages not asked about since this. */
  readonly askedBefore: number;
  readonly limit: number;
  readonly now: number;
}

export interface ReceiptUpdate {
  /** Every spelling the receipt's id may have been stored under (see domain/carrier-id.ts). */
  readonly carrierMessageIds: readonly string[];
  /** Status this receipt means for its part (domain/receipt-state.ts). */
  readonly status: MessageStatus;
  readonly errorCode: string;
  readonly at: number;
  /** Only this message's part (a query_sm answer knows whose id it asked about). */
  readonly smsUid?: string;
}

/** `applied`: a part matched; `pending`: none yet, kept until its submit is recorded. */
export type ReceiptOutcome = 'applied' | 'pending';

export interface ReceiptResult {
  readonly outcome: ReceiptOutcome;
  readonly transitions: readonly StatusTransition[];
}

export interface MessageStore {
  /**
   * Commits the whole batch in one transaction, all status `queuing`, or none of it. A message
   * whose Idempotency-Key a live (unexpired) key of its client holds already, committed before
   * or earlier in the batch, is not inserted: the answer lists those keys as they are stored,
   * and is empty otherwise. Its key is stored with the message, in the same transaction.
   */
  insertMessages(batch: readonly NewMessage[]): Promise<readonly IdempotencyRecord[]>;
  /** The live key `key` of `clientId` at `now`, if a send holds it. */
  findIdempotencyKey(clientId: string, key: string, now: number): Promise<IdempotencyRecord | undefined>;
  /** Retention: deletes the keys expired at `now`. Returns how many. */
  deleteExpiredIdempotencyKeys(now: number): Promise<number>;
  getMessage(smsUid: string): Promise<MessageRecord | undefined>;
  /** Number and time of every send accepted at or after `sinceMs` (to restore per-number limits). */
  recentSends(sinceMs: number): Promise<{ clientId: string; phoneNumber: string; createdAt: number }[]>;
  /**
   * Claims up to `limit` queued messages that are due and not under another live lease, oldest
   * first, and leases them to `owner` until now + leaseMs. A message whose lease ran out is
   * claimable again (its dispatcher died).
   */
  claimQueued(request: ClaimRequest): Promise<ClaimedMessage[]>;
  /**
   * queuing -> sent: records the part ids the SMSC gave, counts the attempt, ends the lease, and
   * applies any receipts that arrived for these ids before this call (so sent -> final may follow).
   */
  markSent(smsUid: string, parts: readonly SubmittedPart[], now: number): Promise<StatusTransition[]>;
  /** Who holds leases on queued messages now. */
  leaseOwners(): Promise<string[]>;
  /** Ends every lease `owner` holds (it is known to be dead), so others may claim at once. */
  releaseLeases(owner: string): Promise<number>;
  /** Leaves the message `queuing`, counts the attempt, ends the lease; due again at `dueAt`. */
  markRetry(smsUid: string, dueAt: number): Promise<void>;
  /** queuing -> error_rejected: the carrier refused the submit for good; counts the attempt, ends the lease. */
  markRejected(smsUid: string, errorCode: string, now: number): Promise<StatusTransition[]>;
  /** Ends a message that is not final yet in `status` (a final one), without counting an attempt. */
  markFailed(smsUid: string, status: MessageStatus, errorCode: string, now: number): Promise<StatusTransition[]>;
  /**
   * Applies a delivery receipt to the part it names (see ReceiptOutcome). An id several messages
   * reused names the part of one that is not final, the newest submit among those
   * (domain/reused-carrier-id.ts); what the receipt then means is domain/receipt-effect.ts.
   */
  applyReceipt(receipt: ReceiptUpdate): Promise<ReceiptResult>;
  /**
   * For each candidate id of a receipt (normal form), the messages whose parts hold it: one
   * indexed lookup per id. Read only; the dispatcher decides the receipt with it.
   */
  receiptMatches(carrierIds: readonly string[]): Promise<ReceiptCandidateMatch[]>;
  /**
   * Messages in `sent` since before `sentBefore` and not asked about since `askedBefore`, oldest
   * first, at most `limit`: marks them asked at `now` (so other dispatchers pass them over) and
   * answers their parts still without a final receipt.
   */
  claimReceiptQueries(request: ReceiptQueryRequest): Promise<AwaitingReceiptPart[]>;
  /** Ends as error_expired every message not final whose createdAt is before `createdBefore`. */
  expireMessages(createdBefore: number, now: number): Promise<StatusTransition[]>;
  /**
   * Retention: deletes messages that reached their final status before `cutoffMs`, with their
   * parts and acknowledged callback events, and receipts still waiting for a submit that arrived
   * before it. Returns messages deleted.
   */
  deleteFinishedBefore(cutoffMs: number): Promise<number>;
}
