import type { CallbackEvent } from '../../src/domain/callback-event.js';
import type { CallbackClaimRequest, CallbackOutbox, DeadCallbackEvent, MessageCallbackEvent, OwedCallbackEvent } from '../../src/store/callback-outbox.js';

interface Row {
  event: CallbackEvent;
  attempts: number;
  owedSince: number;
  nextAttemptAt: number;
  leaseOwner: string | null;
  leaseUntil: number;
  lastError: string;
  diedAt: number | null;
}

/** The outbox port in memory, for the sender's unit tests: the same rules as the stores, none of the SQL. */
export class MemoryCallbackOutbox implements CallbackOutbox {
  readonly rows = new Map<string, Row>();
  /** Every event acknowledged, in order, duplicates included. */
  readonly acknowledged: string[] = [];

  add(event: CallbackEvent, owedSince = event.occurredAt): void {
    this.rows.set(event.eventId, { event, attempts: 0, owedSince, nextAttemptAt: owedSince, leaseOwner: null, leaseUntil: 0, lastError: '', diedAt: null });
  }

  row(eventId: string): Row | undefined {
    return this.rows.get(eventId);
  }

  private due(now: number): Row[] {
    return [...this.rows.values()]
      .filter((r) => r.diedAt === null && r.nextAttemptAt <= now && (r.leaseOwner === null || r.leaseUntil <= now))
      .sort((a, b) => a.event.occurredAt - b.event.occurredAt || a.event.sequence - b.event.sequence);
  }

  async clientsWithDueCallbacks(now: number): Promise<string[]> {
    return [...new Set(this.due(now).map((r) => r.event.clientId))];
  }

  async claimCallbackEvents({ clientId, owner, limit, leaseMs, now }: CallbackClaimRequest): Promise<OwedCallbackEvent[]> {
    const rows = this.due(now).filter((r) => r.event.clientId === clientId).slice(0, limit);
    for (const row of rows) {
      row.leaseOwner = owner;
      row.leaseUntil = now + leaseMs;
    }
    return rows.map((r) => ({ ...r.event, attempts: r.attempts, owedSince: r.owedSince }));
  }

  /** The stores keep acknowledged events for the message view; here they go (the sender's tests never list a message's events). */
  async acknowledgeCallbackEvents(eventIds: readonly string[]): Promise<void> {
    for (const id of eventIds) {
      this.acknowledged.push(id);
      this.rows.delete(id);
    }
  }

  async rescheduleCallbackEvents(eventIds: readonly string[], nextAttemptAt: number, lastError: string): Promise<void> {
    for (const id of eventIds) {
      const row = this.rows.get(id);
      if (!row) continue;
      Object.assign(row, { attempts: row.attempts + 1, nextAttemptAt, lastError, leaseOwner: null, leaseUntil: 0 });
    }
  }

  async callbackEventsOfMessage(smsUid: string): Promise<MessageCallbackEvent[]> {
    return [...this.rows.values()]
      .filter((row) => row.event.smsUid === smsUid)
      .map((row) => ({ ...row.event, attempts: row.attempts, owedSince: row.owedSince, lastError: row.lastError || null, nextAttemptAt: row.diedAt === null ? row.nextAttemptAt : null, diedAt: row.diedAt, acknowledgedAt: null }));
  }

  async hastenCallbackEvents(clientId: string, now: number): Promise<number> {
    let hastened = 0;
    for (const row of this.rows.values()) {
      if (row.event.clientId !== clientId || row.diedAt !== null || row.nextAttemptAt <= now || row.leaseUntil > now) continue;
      row.nextAttemptAt = now;
      hastened++;
    }
    return hastened;
  }

  async buryCallbackEvents(eventIds: readonly string[], lastError: string, now: number): Promise<void> {
    for (const id of eventIds) {
      const row = this.rows.get(id);
      if (!row) continue;
      Object.assign(row, { attempts: row.attempts + 1, lastError, diedAt: now, leaseOwner: null, leaseUntil: 0 });
    }
  }

  async deadCallbackEvents({ clientId, limit }: { clientId?: string; limit: number }): Promise<DeadCallbackEvent[]> {
    return [...this.rows.values()]
      .filter((r) => r.diedAt !== null && (clientId === undefined || r.event.clientId === clientId))
      .slice(0, limit)
      .map((r) => ({ ...r.event, attempts: r.attempts, owedSince: r.owedSince, lastError: r.lastError, diedAt: r.diedAt! }));
  }

  async reviveDeadCallbackEvents({ clientId, now }: { clientId?: string; now: number }): Promise<number> {
    let revived = 0;
    for (const row of this.rows.values()) {
      if (row.diedAt === null || (clientId !== undefined && row.event.clientId !== clientId)) continue;
      Object.assign(row, { diedAt: null, owedSince: now, nextAttemptAt: now, attempts: 0 });
      revived += 1;
    }
    return revived;
  }

  async callbackBacklog(): Promise<{ owed: number; dead: number }> {
    const rows = [...this.rows.values()];
    return { owed: rows.filter((r) => r.diedAt === null).length, dead: rows.filter((r) => r.diedAt !== null).length };
  }
}

/** An event of `clientId` for message `n`, status `delivered`, sequence 1. */
export function eventOf(clientId: string, n: number, occurredAt = Date.now()): CallbackEvent {
  const smsUid = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    eventId: `${smsUid}.1`,
    smsUid,
    clientId,
    status: 'delivered',
    errorCode: '0',
    phoneNumber: '+8613800138000',
    templetId: 't1',
    parts: 1,
    sequence: 1,
    occurredAt,
  };
}
