import { callbackEventJson } from '../domain/callback-event.js';
import { GatewayError } from '../domain/errors.js';
import type { CallbackOutbox, DeadCallbackEvent } from '../store/callback-outbox.js';

/** The most dead events one listing shows. */
export const MAX_FAILURES_LISTED = 10_000;

/**
 * What an operator does about callbacks that could not be delivered (the CLI's `callback
 * failures` / `callback retry`, the admin API): list the dead events, make them owed again.
 */
export class CallbackService {
  constructor(
    private readonly outbox: Pick<CallbackOutbox, 'deadCallbackEvents' | 'reviveDeadCallbackEvents' | 'callbackBacklog'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Dead events, oldest first; one client's only when `clientId` is given. */
  async failures(filter: { clientId?: string; limit: number }): Promise<DeadCallbackEvent[]> {
    if (!Number.isInteger(filter.limit) || filter.limit < 1 || filter.limit > MAX_FAILURES_LISTED) {
      throw new GatewayError('INVALID_REQUEST', `limit must be an integer from 1 to ${MAX_FAILURES_LISTED}`);
    }
    return this.outbox.deadCallbackEvents(filter.clientId === undefined ? { limit: filter.limit } : { clientId: filter.clientId, limit: filter.limit });
  }

  /** Dead events owed again from now (their age counts anew); answers how many. */
  async retry(filter: { clientId?: string } = {}): Promise<{ revived: number }> {
    const now = this.now();
    const revived = await this.outbox.reviveDeadCallbackEvents(filter.clientId === undefined ? { now } : { clientId: filter.clientId, now });
    return { revived };
  }

  backlog(): Promise<{ owed: number; dead: number }> {
    return this.outbox.callbackBacklog();
  }
}

/** A dead event as operators read it (CLI --json, admin API): the receiver's fields and why it died. */
export function deadCallbackEventJson(event: DeadCallbackEvent): Record<string, string | number> {
  return {
    ...callbackEventJson(event),
    attempts: event.attempts,
    last_error: event.lastError,
    owed_since: new Date(event.owedSince).toISOString(),
    died_at: new Date(event.diedAt).toISOString(),
  };
}
