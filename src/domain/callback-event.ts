import { isFinalStatus, type MessageStatus } from './message-status.js';
import type { StatusTransition } from './status-transition.js';

/** Which status changes a client's callback URL hears: every one after `queuing`, or the final one. */
export const CALLBACK_EVENT_CHOICES = ['all', 'final'] as const;
export type CallbackEventChoice = (typeof CALLBACK_EVENT_CHOICES)[number];

/**
 * One status change a client is owed a callback for. Written in the same transaction as the
 * change (the outbox), so a committed change always has its event.
 */
export interface CallbackEvent {
  /** Unique per status change and stable across retries: a receiver dedupes on it. */
  readonly eventId: string;
  readonly smsUid: string;
  readonly clientId: string;
  readonly status: MessageStatus;
  readonly errorCode: string;
  /** E.164 */
  readonly phoneNumber: string;
  readonly templetId: string;
  readonly parts: number;
  /** 1, 2, ... per message in status order, so a receiver can drop an older status arriving late. */
  readonly sequence: number;
  /** Epoch milliseconds. */
  readonly occurredAt: number;
}

/** True when a client that chose `choice` is owed an event for a change to `status`. */
export function wantsCallback(choice: CallbackEventChoice, status: MessageStatus): boolean {
  return status !== 'queuing' && (choice === 'all' || isFinalStatus(status));
}

/**
 * A message's status changes after `queuing` are at most two (sent, then final) or one (final
 * straight from queuing): the change's place in that order. With `--events final` the final
 * event keeps its place (2 after a `sent`), so numbers mean the same whatever a client chose.
 */
export function callbackSequence(transition: Pick<StatusTransition, 'from'>): number {
  return transition.from === 'sent' ? 2 : 1;
}

/** Derived, not random: the same change always gets the same id, however often it is written. */
export function callbackEventId(smsUid: string, sequence: number): string {
  return `${smsUid}.${sequence}`;
}

/** The JSON a receiver gets for one event: the field names and forms of the public contract. */
export function callbackEventJson(event: CallbackEvent): Record<string, string | number> {
  return {
    event_id: event.eventId,
    sms_uid: event.smsUid,
    client_id: event.clientId,
    status: event.status,
    error_code: event.errorCode,
    phone_number: event.phoneNumber,
    templet_id: event.templetId,
    parts: event.parts,
    sequence: event.sequence,
    occurred_at: new Date(event.occurredAt).toISOString(),
  };
}
