import { GatewayError } from '../domain/errors.js';
import { ERROR_STATUSES, isFinalStatus, MESSAGE_STATUSES, type ErrorStatus, type MessageStatus } from '../domain/message-status.js';
import { normalisePhoneNumber } from '../domain/phone-number.js';
import type { CallbackOutbox, MessageCallbackEvent } from '../store/callback-outbox.js';
import type { MessageLookupStore, MessagePart, QueueDepth } from '../store/message-lookup-store.js';
import type { MessageRecord, MessageStore } from '../store/message-store.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** The windows `stats` counts over, by name. */
export const STATS_WINDOWS = { '1m': 60_000, '1h': 3_600_000, '24h': 86_400_000 } as const;
export type StatsWindow = keyof typeof STATS_WINDOWS;

/** One status a message reached, and when. */
export interface StatusChange {
  readonly status: MessageStatus;
  readonly at: number;
}

export interface MessageDetail {
  readonly message: MessageRecord;
  /** Every status it reached, in order: accepted (queuing), sent, its final status. */
  readonly history: readonly StatusChange[];
  readonly parts: readonly MessagePart[];
  /** Its callback events still owed (with their tries so far) or dead; acknowledged ones are gone. */
  readonly callbacks: readonly MessageCallbackEvent[];
}

/** A search as an operator writes it: text fields, all optional. */
export interface MessageQuery {
  readonly phoneNumber?: string;
  readonly clientId?: string;
  readonly status?: string;
  /** ISO 8601 time or epoch milliseconds. */
  readonly since?: string;
  readonly until?: string;
  readonly limit?: string | number;
  /** From the previous page's `nextCursor`. */
  readonly cursor?: string;
}

export interface MessagePage {
  readonly messages: readonly MessageRecord[];
  /** Undefined on the last page. */
  readonly nextCursor: string | undefined;
}

export interface Stats {
  readonly window: StatsWindow;
  readonly accepted: number;
  readonly sent: number;
  readonly delivered: number;
  readonly errors: Readonly<Record<ErrorStatus, number>>;
  readonly queueDepth: QueueDepth;
}

/**
 * Messages as operators look at them (the admin API, the CLI): one message with its history and
 * parts, a search newest first page by page, and counts over a window. Bad input is INVALID_REQUEST
 * (INVALID_PHONE_NUMBER for a number), an unknown message MESSAGE_NOT_FOUND.
 */
export class MessageLookupService {
  constructor(
    private readonly store: MessageLookupStore & Pick<MessageStore, 'getMessage'> & Pick<CallbackOutbox, 'callbackEventsOfMessage'>,
    private readonly defaultRegion: string,
    private readonly now: () => number = Date.now,
  ) {}

  async message(smsUid: string): Promise<MessageDetail> {
    const message = await this.store.getMessage(smsUid);
    if (!message) throw new GatewayError('MESSAGE_NOT_FOUND', `no message with sms_uid "${smsUid.slice(0, 64)}"`);
    const [parts, callbacks] = await Promise.all([this.store.messageParts(message.smsUid), this.store.callbackEventsOfMessage(message.smsUid)]);
    return { message, history: statusHistory(message), parts, callbacks };
  }

  async find(query: MessageQuery): Promise<MessagePage> {
    const limit = pageSize(query.limit);
    const filter = {
      ...(query.phoneNumber !== undefined && { phoneNumber: normalisePhoneNumber(query.phoneNumber, this.defaultRegion) }),
      ...(query.clientId !== undefined && { clientId: query.clientId }),
      ...(query.status !== undefined && { status: statusOf(query.status) }),
      ...(query.since !== undefined && { since: timeOf('since', query.since) }),
      ...(query.until !== undefined && { until: timeOf('until', query.until) }),
      ...(query.cursor !== undefined && { afterUid: decodeCursor(query.cursor) }),
    };
    // One more than asked: whether there is a next page, without a count.
    const found = await this.store.findMessages({ ...filter, limit: limit + 1 });
    const messages = found.slice(0, limit);
    return { messages, nextCursor: found.length > limit ? encodeCursor(messages.at(-1)!.smsUid) : undefined };
  }

  async stats(window: string): Promise<Stats> {
    if (!(window in STATS_WINDOWS)) throw new GatewayError('INVALID_REQUEST', `window must be one of ${Object.keys(STATS_WINDOWS).join(', ')}`);
    const name = window as StatsWindow;
    const [counts, queueDepth] = await Promise.all([this.store.countAcceptedSince(this.now() - STATS_WINDOWS[name]), this.store.queueDepth()]);
    const errors = Object.fromEntries(ERROR_STATUSES.map((status) => [status, counts.byStatus[status]])) as Record<ErrorStatus, number>;
    return { window: name, accepted: counts.accepted, sent: counts.sent, delivered: counts.byStatus.delivered, errors, queueDepth };
  }
}

/** The status changes a message's times record: accepted, sent (if it was), final (if it is). */
export function statusHistory(message: MessageRecord): StatusChange[] {
  const history: StatusChange[] = [{ status: 'queuing', at: message.createdAt }];
  if (message.sentAt !== null) history.push({ status: 'sent', at: message.sentAt });
  if (isFinalStatus(message.status) && message.doneAt !== null) history.push({ status: message.status, at: message.doneAt });
  return history;
}

function pageSize(raw: string | number | undefined): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const value = typeof raw === 'number' ? raw : /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw new GatewayError('INVALID_REQUEST', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  return value;
}

function statusOf(raw: string): MessageStatus {
  if (!(MESSAGE_STATUSES as readonly string[]).includes(raw)) throw new GatewayError('INVALID_REQUEST', `status must be one of ${MESSAGE_STATUSES.join(', ')}`);
  return raw as MessageStatus;
}

/** `2026-12-03T10:00:00Z` or epoch milliseconds. */
function timeOf(name: string, raw: string): number {
  const ms = /^\d{1,15}$/.test(raw) ? Number(raw) : /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : NaN;
  if (!Number.isFinite(ms)) throw new GatewayError('INVALID_REQUEST', `${name} must be an ISO 8601 time (2026-12-03T10:00:00Z) or epoch milliseconds`);
  return ms;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque to callers: the last sms_uid of the page, so a next page starts right after it. */
function encodeCursor(smsUid: string): string {
  return Buffer.from(smsUid, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const smsUid = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!UUID.test(smsUid)) throw new GatewayError('INVALID_REQUEST', 'cursor is not one this API gave out');
  return smsUid;
}
