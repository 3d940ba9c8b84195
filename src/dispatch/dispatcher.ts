import type { Logger } from 'pino';
import { CarrierSubmitError, type Carrier } from '../carrier/carrier.js';
import type { ClaimedMessage, MessageStore } from '../store/message-store.js';
import type { ClientSenders } from './client-senders.js';
import { askSmsc } from './ask-smsc.js';
import { isDeadLocalOwner } from './lease-owner.js';
import { ReceiptHandler, type ReceiptStats } from './receipt-handler.js';
import { SubmitsBeingRecorded } from './submits-being-recorded.js';
import type { StatusEvents } from './status-events.js';
import type { StatusTransition } from '../domain/status-transition.js';
import { retryDelayMs } from './retry-policy.js';
import { setTimeout as delay } from 'node:timers/promises';

export interface DispatcherOptions {
  readonly store: MessageStore;
  readonly carrier: Carrier;
  readonly logger: Logger;
  /** Identifies this dispatcher's leases. */
  readonly owner: string;
  /** How long a claim is ours; a dispatcher that dies leaves its claims to others after it. */
  readonly leaseMs: number;
  /** How often the queue is looked at when nobody said there is new work. */
  readonly pollMs: number;
  readonly validityMs: number;
  /** Each client's sender (source_addr); absent: every message goes with the connection's. */
  readonly senders?: Pick<ClientSenders, 'senderOf'>;
  readonly maxClaim?: number;
  /**
   * At start, end the leases of dispatchers of this host that died (embedded store only: see
   * lease-owner.ts), so that their claimed messages go out now, not after the lease.
   */
  readonly reclaimDeadLocalLeases?: boolean;
  /** After being woken, wait this long so that one claim takes many messages. */
  readonly gatherMs?: number;
  readonly now?: () => number;
  /** Hears every status transition this dispatcher's store writes made. */
  readonly events?: StatusEvents;
  /** How long an ambiguous receipt waits for its connection's id style (SMSGATE_RECEIPT_HOLD_MS). */
  readonly receiptHoldMs?: number;
  /**
   * How long `stop` waits for submits in flight to be answered (default: as long as they take).
   * Then the carrier stops, which fails the rest as "retry": they are queued again, not lost.
   */
  readonly stopWaitMs?: number;
}

/**
 * Moves queued messages to the carrier and receipts back to the store. One loop: claim as many
 * messages as the carrier has window for, submit them, record each outcome.
 */
export class Dispatcher {
  private running = false;
  private wake: (() => void) | undefined;
  private pending = false;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly now: () => number;
  private readonly receipts: ReceiptHandler;
  /** Submits answered and being recorded: a receipt for one of their ids waits for the record. */
  private readonly recording = new SubmitsBeingRecorded();

  constructor(private readonly options: DispatcherOptions) {
    this.now = options.now ?? Date.now;
    this.receipts = new ReceiptHandler({
      store: options.store,
      logger: options.logger,
      publish: (transitions) => this.publish(transitions),
      holdMs: options.receiptHoldMs,
      now: this.now,
      recorded: (carrierIds) => this.recording.settled(carrierIds),
      ask: (part) => askSmsc(options.carrier, options.store, part, this.now),
    });
  }

  /** What became of the receipts so far (applied, held, unknown, duplicate, ambiguous). */
  get receiptStats(): Readonly<ReceiptStats> {
    return this.receipts.stats;
  }

  async start(): Promise<void> {
    if (this.options.reclaimDeadLocalLeases) await this.reclaimDeadLocalLeases();
    this.running = true;
    await this.options.carrier.start((receipt) => this.receipts.handle(receipt));
    this.loop = this.run();
  }

  private async reclaimDeadLocalLeases(): Promise<void> {
    for (const owner of await this.options.store.leaseOwners()) {
      if (!isDeadLocalOwner(owner)) continue;
      const released = await this.options.store.releaseLeases(owner);
      this.options.logger.info({ owner, released }, 'dispatch: took back the claims of a dead dispatcher of this host');
    }
  }

  /** Says there is new work (a send was committed in this process), so no poll delay is paid. */
  notify(): void {
    this.pending = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    const answered = Promise.allSettled([...this.inFlight]);
    const { stopWaitMs } = this.options;
    if (stopWaitMs === undefined) await answered;
    else {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([answered, new Promise((resolve) => (timer = setTimeout(resolve, stopWaitMs)))]);
      clearTimeout(timer);
      if (this.inFlight.size > 0) {
        this.options.logger.warn({ unanswered: this.inFlight.size, waitedMs: stopWaitMs }, 'dispatch: stopping with submits unanswered; they are queued again');
      }
    }
    this.receipts.stop();
    await this.options.carrier.stop();
    await Promise.allSettled([...this.inFlight]); // the carrier failed them: their retries are recorded
  }

  private async run(): Promise<void> {
    let widest = 0; // the most window space seen: what "half the window" means
    while (this.running) {
      this.pending = false;
      const room = Math.min(this.options.carrier.capacity(), this.options.maxClaim ?? 500);
      widest = Math.max(widest, room);
      // No space, or a sliver of it while submits are out: wait for them to come back, so that
      // one claim (a write) takes many messages instead of one.
      if (room <= 0 || (room < widest / 2 && this.inFlight.size > 0)) {
        await this.sleep(this.options.pollMs);
        continue;
      }
      let claimed = 0;
      try {
        claimed = await this.claimAndSubmit(room);
      } catch (error) {
        this.options.logger.error({ err: error }, 'dispatch: claiming queued messages failed');
      }
      if (claimed < room) {
        // The queue is drained: wait for news, then let a few sends gather before claiming.
        if (!this.pending) await this.sleep(this.options.pollMs);
        await delay(this.options.gatherMs ?? 5);
      }
    }
  }

  private async claimAndSubmit(room: number): Promise<number> {
    const messages = await this.options.store.claimQueued({
      owner: this.options.owner,
      limit: room,
      leaseMs: this.options.leaseMs,
      now: this.now(),
    });
    for (const message of messages) this.track(this.submit(message));
    return messages.length;
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => {
      this.inFlight.delete(work);
      this.wake?.(); // window space came free
    });
  }

  private async submit(message: ClaimedMessage): Promise<void> {
    const { store, carrier, logger, validityMs } = this.options;
    try {
      const sender = this.options.senders?.senderOf(message.clientId);
      const result = await carrier.submit({ ...message, expiresAt: message.createdAt + validityMs, sender });
      const parts = result.carrierMessageIds.map((carrierMessageId, i) => ({ partNo: i + 1, carrierMessageId, connection: result.connection }));
      this.publish(await this.recording.record(parts.map((part) => part.carrierMessageId), store.markSent(message.smsUid, parts, this.now())));
    } catch (error) {
      await this.recordFailure(message, error).catch((storeError: unknown) =>
        logger.error({ err: storeError, smsUid: message.smsUid, clientId: message.clientId }, 'dispatch: recording a submit failure failed; the lease will expire and it is retried'),
      );
    }
  }

  private async recordFailure(message: ClaimedMessage, error: unknown): Promise<void> {
    const { store, logger } = this.options;
    if (error instanceof CarrierSubmitError && error.kind === 'permanent') {
      // Not at info: an SMSC refusing everything would write a line per message (80,000/s); metrics count them.
      logger.debug({ smsUid: message.smsUid, clientId: message.clientId, carrierCode: error.carrierCode }, 'dispatch: carrier rejected the message');
      this.publish(await store.markRejected(message.smsUid, error.carrierCode, this.now()));
      return;
    }
    const delay = retryDelayMs(message.attempts);
    // A carrier's retry answer (busy, timeout, no bind) is normal flow; the carrier reports it per connection.
    if (error instanceof CarrierSubmitError) logger.debug({ smsUid: message.smsUid, clientId: message.clientId, carrierCode: error.carrierCode, reason: error.message, retryInMs: delay }, 'dispatch: submit will be retried');
    else logger.warn({ smsUid: message.smsUid, clientId: message.clientId, err: error, retryInMs: delay }, 'dispatch: submit will be retried');
    await store.markRetry(message.smsUid, this.now() + delay);
  }

  // Not `events?.publish(await write())`: an optional call skips evaluating its arguments, write included.
  private publish(transitions: readonly StatusTransition[]): void {
    this.options.events?.publish(transitions);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}
