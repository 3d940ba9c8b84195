import type { MessageStatus } from '../domain/message-status.js';
import type { MessageRecord } from './message-store.js';

/** Which messages an operator looks for; every field narrows, none required. */
export interface MessageFilter {
  /** E.164. */
  readonly phoneNumber?: string;
  readonly clientId?: string;
  readonly status?: MessageStatus;
  /** Accepted at or after (epoch ms). */
  readonly since?: number;
  /** Accepted before (epoch ms). */
  readonly until?: number;
  /** Only messages after this sms_uid in the order (the last of the previous page). */
  readonly afterUid?: string;
  readonly limit: number;
}

/** One SMS part of a message as the SMSC took it. */
export interface MessagePart {
  /** 1-based. */
  readonly partNo: number;
  /** As the SMSC answered the submit. */
  readonly carrierMessageId: string;
  readonly status: MessageStatus;
  readonly errorCode: string;
  /** The connection it went over; null for parts recorded without one. */
  readonly connection: string | null;
}

/** Messages accepted in a window, by the status each has now. */
export interface WindowCounts {
  readonly accepted: number;
  /** Those that reached the SMSC (`sent` or later, with a sent time). */
  readonly sent: number;
  readonly byStatus: Readonly<Record<MessageStatus, number>>;
}

/** Messages not final now. */
export interface QueueDepth {
  readonly queuing: number;
  /** Sent, awaiting their final receipt. */
  readonly sent: number;
}

/**
 * Reading messages for operators (the admin API, the CLI). Each lookup is served by an index
 * on both stores, also at 10 million messages (test/store/*-query-plans.test.ts).
 */
export interface MessageLookupStore {
  /** Newest first (sms_uid descending: UUIDv7s are time-ordered); at most `limit`. */
  findMessages(filter: MessageFilter): Promise<MessageRecord[]>;
  /** The parts of a message that was sent, by part number; none before it was. */
  messageParts(smsUid: string): Promise<MessagePart[]>;
  /** Messages accepted at or after `sinceMs`, counted by their status now. */
  countAcceptedSince(sinceMs: number): Promise<WindowCounts>;
  queueDepth(): Promise<QueueDepth>;
}
