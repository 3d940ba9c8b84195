import type { Logger } from 'pino';
import type { MessageStore } from '../store/message-store.js';
import type { StatusEvents } from './status-events.js';

export interface HousekeeperOptions {
  readonly store: MessageStore;
  readonly logger: Logger;
  /** A message not delivered within this ends as error_expired. */
  readonly validityMs: number;
  /** Finished messages older than this are deleted. */
  readonly retentionMs: number;
  readonly expiryEveryMs?: number;
  readonly retentionEveryMs?: number;
  readonly now?: () => number;
  /** Hears the transitions of every message expired. */
  readonly events?: StatusEvents;
}

/** The store's upkeep: expiry of undelivered messages, and retention of finished ones. */
export class Housekeeper {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly now: () => number;

  constructor(private readonly options: HousekeeperOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.every(this.options.expiryEveryMs ?? 10_000, () => this.expire());
    this.every(this.options.retentionEveryMs ?? 3_600_000, () => this.retain());
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  async expire(): Promise<number> {
    const transitions = await this.options.store.expireMessages(this.now() - this.options.validityMs, this.now());
    this.options.events?.publish(transitions);
    const expired = transitions.length;
    if (expired > 0) this.options.logger.info({ expired }, 'messages expired undelivered');
    return expired;
  }

  async retain(): Promise<number> {
    const deleted = await this.options.store.deleteFinishedBefore(this.now() - this.options.retentionMs);
    if (deleted > 0) this.options.logger.info({ deleted }, 'retention: finished messages deleted');
    // An expired key is also taken over by the next send with it; this keeps the table small.
    const keys = await this.options.store.deleteExpiredIdempotencyKeys(this.now());
    if (keys > 0) this.options.logger.info({ keys }, 'retention: expired Idempotency-Keys deleted');
    return deleted;
  }

  private every(ms: number, job: () => Promise<unknown>): void {
    const timer = setInterval(() => {
      job().catch((error: unknown) => this.options.logger.error({ err: error }, 'housekeeping failed'));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }
}
