import { CALLBACK_EVENT_CHOICES, callbackEventId, callbackSequence, wantsCallback, type CallbackEventChoice } from '../domain/callback-event.js';
import type { MessageStatus } from '../domain/message-status.js';
import type { StatusTransition } from '../domain/status-transition.js';
import type { DeadCallbackEvent, MessageCallbackEvent, OwedCallbackEvent } from './callback-outbox.js';
import type { ClientCallback } from './catalog-store.js';

/** An outbox row as both SQL adapters select it (same column names in SQLite and PostgreSQL). */
export interface CallbackOutboxRow {
  event_id: string;
  client_id: string;
  sms_uid: string;
  status: MessageStatus;
  error_code: string;
  phone_number: string;
  templet_id: string;
  parts: number;
  sequence: number;
  occurred_at: number;
  owed_since: number;
  attempts: number;
  last_error: string | null;
  dead_at: number | null;
}

export const CALLBACK_OUTBOX_COLUMNS =
  'event_id, client_id, sms_uid, status, error_code, phone_number, templet_id, parts, sequence, occurred_at, owed_since, attempts, last_error, dead_at';

export function toOwedCallbackEvent(row: CallbackOutboxRow): OwedCallbackEvent {
  return {
    eventId: row.event_id,
    smsUid: row.sms_uid,
    clientId: row.client_id,
    status: row.status,
    errorCode: row.error_code,
    phoneNumber: row.phone_number,
    templetId: row.templet_id,
    parts: Number(row.parts),
    sequence: Number(row.sequence),
    occurredAt: Number(row.occurred_at),
    attempts: Number(row.attempts),
    owedSince: Number(row.owed_since),
  };
}

export function toDeadCallbackEvent(row: CallbackOutboxRow): DeadCallbackEvent {
  return { ...toOwedCallbackEvent(row), lastError: row.last_error ?? '', diedAt: Number(row.dead_at) };
}

/** A row with its next try and acknowledgement, as callbackEventsOfMessage selects it. */
export interface MessageCallbackRow extends CallbackOutboxRow {
  next_attempt_at: number;
  acknowledged_at: number | null;
}

export function toMessageCallbackEvent(row: MessageCallbackRow): MessageCallbackEvent {
  const acknowledgedAt = row.acknowledged_at === null ? null : Number(row.acknowledged_at);
  const diedAt = row.dead_at === null ? null : Number(row.dead_at);
  const owed = acknowledgedAt === null && diedAt === null;
  return { ...toOwedCallbackEvent(row), lastError: row.last_error, nextAttemptAt: owed ? Number(row.next_attempt_at) : null, diedAt, acknowledgedAt };
}

/** Claims hand events out oldest first: by the change's time, then its place in the message's order. */
export function byOccurrence(a: OwedCallbackEvent, b: OwedCallbackEvent): number {
  return a.occurredAt - b.occurredAt || a.sequence - b.sequence || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}

/**
 * What the adapters' event INSERT needs of one transition. `wanted` lists the client `events`
 * choices that hear this change (the domain's wantsCallback, so the SQL filter does not restate
 * the rule): the SQL keeps the rows of clients with a URL whose choice is in it.
 */
export interface CallbackEventParams {
  readonly eventId: string;
  readonly smsUid: string;
  readonly status: MessageStatus;
  readonly errorCode: string;
  readonly sequence: number;
  readonly at: number;
  readonly wanted: readonly CallbackEventChoice[];
}

/** The transitions some client could be owed an event for, as INSERT parameters. */
export function callbackEventParams(transitions: readonly StatusTransition[]): CallbackEventParams[] {
  const params: CallbackEventParams[] = [];
  for (const transition of transitions) {
    const wanted = CALLBACK_EVENT_CHOICES.filter((choice) => wantsCallback(choice, transition.to));
    if (wanted.length === 0) continue;
    const sequence = callbackSequence(transition);
    params.push({
      eventId: callbackEventId(transition.smsUid, sequence),
      smsUid: transition.smsUid,
      status: transition.to,
      errorCode: transition.errorCode,
      sequence,
      at: transition.at,
      wanted,
    });
  }
  return params;
}

/** The callback columns of a clients row, as both SQL adapters store them. */
export interface ClientCallbackColumns {
  callback_url: string | null;
  callback_events: string | null;
  callback_secret: string | null;
}

export function toClientCallback(row: ClientCallbackColumns): ClientCallback | null {
  if (row.callback_url === null) return null;
  return { url: row.callback_url, events: row.callback_events as CallbackEventChoice, secret: row.callback_secret ?? '' };
}
