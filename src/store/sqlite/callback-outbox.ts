import type { CallbackClaimRequest, CallbackOutbox, DeadCallbackEvent, MessageCallbackEvent, OwedCallbackEvent } from '../callback-outbox.js';
import { byOccurrence, toDeadCallbackEvent, toMessageCallbackEvent, toOwedCallbackEvent, type CallbackOutboxRow, type MessageCallbackRow } from '../callback-rows.js';
import type { Statements } from './statements.js';
import type { WriteCombiner } from './write-combiner.js';

/**
 * The callback outbox over SQLite: claims, acknowledgements and retries go through the one
 * writer like every write, so two senders in this process never lease the same event.
 */
export class SqliteCallbackOutbox implements CallbackOutbox {
  constructor(
    private readonly sql: Statements,
    private readonly writes: WriteCombiner,
  ) {}

  async clientsWithDueCallbacks(now: number): Promise<string[]> {
    return (this.sql.clientsWithDueCallbacks.all({ now }) as { client_id: string }[]).map((row) => row.client_id);
  }

  async claimCallbackEvents(request: CallbackClaimRequest): Promise<OwedCallbackEvent[]> {
    const rows = await this.writes.run(
      () =>
        this.sql.claimCallbacks.all({
          owner: request.owner,
          until: request.now + request.leaseMs,
          now: request.now,
          clientId: request.clientId,
          limit: request.limit,
        }) as CallbackOutboxRow[],
    );
    return rows.map(toOwedCallbackEvent).sort(byOccurrence);
  }

  async acknowledgeCallbackEvents(eventIds: readonly string[], now: number): Promise<void> {
    if (eventIds.length === 0) return;
    await this.writes.run(() => {
      for (const eventId of eventIds) this.sql.acknowledgeCallback.run({ eventId, now });
    });
  }

  async rescheduleCallbackEvents(eventIds: readonly string[], nextAttemptAt: number, lastError: string): Promise<void> {
    if (eventIds.length === 0) return;
    await this.writes.run(() => {
      for (const eventId of eventIds) this.sql.rescheduleCallback.run({ eventId, nextAttemptAt, lastError });
    });
  }

  hastenCallbackEvents(clientId: string, now: number): Promise<number> {
    return this.writes.run(() => this.sql.hastenCallbacks.run({ clientId, now }).changes);
  }

  async buryCallbackEvents(eventIds: readonly string[], lastError: string, now: number): Promise<void> {
    if (eventIds.length === 0) return;
    await this.writes.run(() => {
      for (const eventId of eventIds) this.sql.buryCallback.run({ eventId, lastError, now });
    });
  }

  async deadCallbackEvents(filter: { clientId?: string; limit: number }): Promise<DeadCallbackEvent[]> {
    const rows = this.sql.deadCallbacks.all({ clientId: filter.clientId ?? null, limit: filter.limit }) as CallbackOutboxRow[];
    return rows.map(toDeadCallbackEvent);
  }

  async callbackEventsOfMessage(smsUid: string): Promise<MessageCallbackEvent[]> {
    return (this.sql.messageCallbacks.all(smsUid) as MessageCallbackRow[]).map(toMessageCallbackEvent);
  }

  reviveDeadCallbackEvents(filter: { clientId?: string; now: number }): Promise<number> {
    return this.writes.run(() => this.sql.reviveCallbacks.run({ clientId: filter.clientId ?? null, now: filter.now }).changes);
  }

  async callbackBacklog(): Promise<{ owed: number; dead: number }> {
    const row = this.sql.callbackBacklog.get() as { owed: number; dead: number };
    return { owed: row.owed, dead: row.dead };
  }

  /**
   * Retention: dead events that died before the cutoff go (owed ones are never dropped here;
   * acknowledged ones go with their message, in the messages' retention batches).
   */
  deleteDeadBefore(cutoffMs: number): Promise<number> {
    return this.writes.run(() => this.sql.deleteDeadCallbacksBefore.run(cutoffMs).changes);
  }
}
