import type { CallbackEvent } from '../domain/callback-event.js';

/**
 * The callback outbox: events owed to clients' callback URLs. Every adapter writes a client's
 * events in the transaction of the status change that causes them (only for clients with a
 * callback URL, filtered by the client's `events` choice at that moment), so no change commits
 * without its event and a kill -9 loses none. Senders (dispatcher processes) claim events under a
 * lease, like messages: over PostgreSQL with FOR UPDATE SKIP LOCKED. Times are epoch milliseconds.
 */

/** An event being sent, with what the sender needs to decide its retries. */
export interface OwedCallbackEvent extends CallbackEvent {
  /** Failed tries so far. */
  readonly attempts: number;
  /** When it became owed (or was revived by `callback retry`): its age counts from here. */
  readonly owedSince: number;
}

/** An event whose tries ran out (SMSGATE_CALLBACK_MAX_AGE_S): kept until revived or retention. */
export interface DeadCallbackEvent extends OwedCallbackEvent {
  readonly lastError: string;
  readonly diedAt: number;
}

/**
 * One message's event still in the outbox, for an operator: owed (with its next try) or dead.
 * An acknowledged event is gone: it is not listed.
 */
export interface MessageCallbackEvent extends OwedCallbackEvent {
  readonly lastError: string | null;
  /** Null once dead or acknowledged. */
  readonly nextAttemptAt: number | null;
  readonly diedAt: number | null;
  /** When the receiver acknowledged it (attempts then counts that try too); null while owed or dead. */
  readonly acknowledgedAt: number | null;
}

export interface CallbackClaimRequest {
  readonly clientId: string;
  readonly owner: string;
  readonly limit: number;
  readonly leaseMs: number;
  readonly now: number;
}

export interface CallbackOutbox {
  /** Clients that have events due (next attempt at or before `now`, not under a live lease). */
  clientsWithDueCallbacks(now: number): Promise<string[]>;
  /** Leases up to `limit` of the client's due events to `owner`, oldest first (by occurredAt, then sequence). */
  claimCallbackEvents(request: CallbackClaimRequest): Promise<OwedCallbackEvent[]>;
  /**
   * The receiver answered 2xx at `now`: these events are done, never claimed again, and kept
   * (delivered, with that try counted) for the message view until retention deletes their message.
   */
  acknowledgeCallbackEvents(eventIds: readonly string[], now: number): Promise<void>;
  /** A failed try: counts it, keeps the error, ends the lease; due again at `nextAttemptAt`. */
  rescheduleCallbackEvents(eventIds: readonly string[], nextAttemptAt: number, lastError: string): Promise<void>;
  /**
   * The client's receiver answered 2xx again: its events waiting out a backoff (not dead, not
   * under a live lease) are due at `now` instead of up to 10 minutes later. Answers how many.
   */
  hastenCallbackEvents(clientId: string, now: number): Promise<number>;
  /** Tries ran out: the events are dead (listed by `callback failures`, never claimed). */
  buryCallbackEvents(eventIds: readonly string[], lastError: string, now: number): Promise<void>;
  /** Dead events, oldest first; one client's only when `clientId` is given. */
  deadCallbackEvents(filter: { clientId?: string; limit: number }): Promise<DeadCallbackEvent[]>;
  /** Makes dead events owed again, due at `now`, their age counting anew from `now`; answers how many. */
  reviveDeadCallbackEvents(filter: { clientId?: string; now: number }): Promise<number>;
  /** The message's events, delivered, owed or dead, in sequence order (the admin API's message view). */
  callbackEventsOfMessage(smsUid: string): Promise<MessageCallbackEvent[]>;
  /** Events owed (neither dead nor acknowledged) and dead, for metrics and the admin view. */
  callbackBacklog(): Promise<{ owed: number; dead: number }>;
}
