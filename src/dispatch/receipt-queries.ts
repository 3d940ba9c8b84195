import type { Logger } from 'pino';
import type { Carrier } from '../carrier/carrier.js';
import type { AwaitingReceiptPart, MessageStore } from '../store/message-store.js';
import { askSmsc } from './ask-smsc.js';
import type { StatusEvents } from './status-events.js';

export interface ReceiptQueriesOptions {
  readonly store: MessageStore;
  readonly carrier: Carrier;
  readonly logger: Logger;
  /** A message this long in `sent` without its final receipt is asked about (SMSGATE_RECEIPT_QUERY_AFTER_S). */
  readonly queryAfterMs: number;
  /** How often the store is looked at. */
  readonly everyMs?: number;
  /** Messages asked about per look, at most. */
  readonly batch?: number;
  /** A message is asked about again only after this long. */
  readonly askAgainMs?: number;
  readonly now?: () => number;
  readonly events?: StatusEvents;
}

/** What became of the queries (for metrics). */
export interface QueryStats {
  asked: number;
  /** Answers that finished a part, as its receipt would have. */
  answered: number;
  /** Not known to the SMSC, still on its way (ENROUTE), or no answer now. */
  open: number;
}

/**
 * Lost receipts: a message long in `sent` is asked about with query_sm (carrier.queryMessage,
 * which bounds the rate per connection), and the answer is applied through the store's receipt
 * path, as the receipt would have been, so its transitions are published the same way.
 *
 * When a message was last asked is kept in the store (receipt_queried_at), not in memory: the
 * store then hands each look only messages not asked lately (so recently asked ones cannot
 * fill every batch), several dispatchers sharing a database do not ask the same message, and a
 * restart does not ask everything again at once.
 */
export class ReceiptQueries {
  readonly stats: QueryStats = { asked: 0, answered: 0, open: 0 };
  /** Connections none of whose binds take query_sm: not asked again (until restart). */
  private readonly unsupported = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: ReceiptQueriesOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return; // the last look is still asking
      this.running = this.scan()
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'receipt queries failed'))
        .finally(() => (this.running = undefined));
    }, this.options.everyMs ?? 10_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One look: asks about the messages due; answers how many parts it asked about. */
  async scan(): Promise<number> {
    const { store } = this.options;
    const now = this.now();
    const parts = await store.claimReceiptQueries({
      sentBefore: now - this.options.queryAfterMs,
      askedBefore: now - (this.options.askAgainMs ?? 300_000),
      limit: this.options.batch ?? 100,
      now,
    });
    const asked = parts.filter((part) => !this.unsupported.has(part.connection ?? ''));
    await Promise.all(asked.map((part) => this.ask(part)));
    return asked.length;
  }

  private async ask(part: AwaitingReceiptPart): Promise<void> {
    const { carrier, store, logger } = this.options;
    this.stats.asked += 1;
    const { outcome, answer, transitions } = await askSmsc(carrier, store, part, this.now);
    if (outcome === 'unsupported') {
      const connection = part.connection ?? '';
      if (!this.unsupported.has(connection)) logger.info({ connection: part.connection }, 'receipt queries: the SMSC does not take query_sm on this connection; not asked again');
      this.unsupported.add(connection);
    }
    if (outcome !== 'answered') {
      this.stats.open += 1;
      logger.debug({ smsUid: part.smsUid, clientId: part.clientId, carrierMessageId: part.carrierMessageId, answer }, 'receipt queries: no final state yet');
      return;
    }
    this.stats.answered += 1;
    this.options.events?.publish(transitions);
  }
}
