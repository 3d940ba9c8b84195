import type { Logger } from 'pino';
import type { DeliveryReceipt } from '../carrier/carrier.js';
import {
  DEFAULT_RECEIPT_HOLD_MS,
  UNKNOWN_STYLE,
  decideReceipt,
  receiptIdCandidates,
  resolveHeld,
  type CandidateMatches,
  type IdStyleState,
  type ReceiptDecision,
  type ReceiptIdCandidate,
} from '../domain/receipt-id-style.js';
import { statusForReceiptState } from '../domain/receipt-state.js';
import type { StatusTransition } from '../domain/status-transition.js';
import type { AwaitingReceiptPart, MessageStore, ReceiptCandidateMatch } from '../store/message-store.js';
import type { AskOutcome } from './ask-smsc.js';

/** What became of the receipts a dispatcher was given (for metrics). */
export interface ReceiptStats {
  applied: number;
  /** Held at least once because the connection's id style was not known yet. */
  held: number;
  /** Named no message: kept until its submit is recorded (or deleted by retention). */
  unknown: number;
  /** Named only final messages: a duplicate or late receipt. */
  duplicate: number;
  /** Its hold ran out and no single reading named a `sent` message of its connection: dropped. */
  ambiguous: number;
  /** Unknown in the learned style, yet naming one open message in another reading: that message was asked about (query_sm). */
  askedInstead: number;
}

export interface ReceiptHandlerOptions {
  readonly store: MessageStore;
  readonly logger: Logger;
  readonly publish: (transitions: readonly StatusTransition[]) => void;
  readonly holdMs?: number;
  readonly now: () => number;
  /**
   * Resolves once the submits answered with any of these ids (normal form) are recorded. A
   * receipt can overtake the record of its submit; read before it, its own reading would name
   * nothing, and another reading could name an open message and be taken for it.
   */
  readonly recorded?: (carrierIds: readonly string[]) => Promise<void>;
  /** Asks the SMSC about a part and applies a final answer (ask-smsc.ts). */
  readonly ask?: (part: AwaitingReceiptPart) => Promise<AskOutcome>;
}

interface Held {
  readonly receipt: DeliveryReceipt;
  readonly candidates: readonly ReceiptIdCandidate[];
  readonly until: number;
  timer: NodeJS.Timeout | undefined;
  busy: boolean;
  readonly done: (error?: Error) => void;
}

/**
 * Decides every receipt with the domain's rule (domain/receipt-id-style.ts): one id style per
 * connection, learned from its unambiguous receipts; an ambiguous receipt is held, and its
 * promise (which the carrier waits for before acknowledging it to the SMSC) settles only once it
 * is applied or dropped, so a held receipt survives a crash: unacknowledged, the SMSC sends it
 * again. On stop, held receipts are refused (not acknowledged) for the same reason.
 */
export class ReceiptHandler {
  readonly stats: ReceiptStats = { applied: 0, held: 0, unknown: 0, duplicate: 0, ambiguous: 0, askedInstead: 0 };
  private readonly styles = new Map<string, IdStyleState>();
  private readonly held = new Map<string, Held[]>();
  private readonly holdMs: number;
  private stopped = false;

  constructor(private readonly options: ReceiptHandlerOptions) {
    this.holdMs = options.holdMs ?? DEFAULT_RECEIPT_HOLD_MS;
  }

  /** The id style learned for a connection, if any. */
  styleOf(connection: string): IdStyleState {
    return this.styles.get(connection) ?? UNKNOWN_STYLE;
  }

  async handle(receipt: DeliveryReceipt): Promise<void> {
    const candidates = receiptIdCandidates(receipt.carrierMessageId);
    const { matches, found } = await this.lookUpParts(candidates, receipt.connection);
    const decision = decideReceipt(this.styleOf(receipt.connection), matches, this.options.now(), this.holdMs);
    if (decision.action === 'unknown' && this.styleOf(receipt.connection).style) await this.askInstead(receipt, matches, found);
    if (decision.action !== 'hold') return this.act(receipt, candidates, decision);
    if (this.stopped) throw new Error('dispatcher stopping: ambiguous receipt left unacknowledged for the SMSC to send again');
    this.stats.held += 1;
    this.options.logger.debug({ carrierMessageId: receipt.carrierMessageId, connection: receipt.connection }, 'receipt held until the id style of its connection is known');
    await new Promise<void>((resolve, reject) => {
      const item: Held = {
        receipt,
        candidates,
        until: decision.until,
        timer: undefined,
        busy: false,
        done: (error) => (error ? reject(error) : resolve()),
      };
      item.timer = setTimeout(() => void this.retry(item), Math.max(0, decision.until - this.options.now()));
      this.held.set(receipt.connection, [...(this.held.get(receipt.connection) ?? []), item]);
    });
  }

  /** Refuses every held receipt: not acknowledged, the SMSC sends it again after our restart. */
  stop(): void {
    this.stopped = true;
    for (const items of this.held.values()) {
      for (const item of items) {
        clearTimeout(item.timer);
        item.done(new Error('dispatcher stopping: held receipt left unacknowledged for the SMSC to send again'));
      }
    }
    this.held.clear();
  }

  private async lookUp(candidates: readonly ReceiptIdCandidate[], connection: string): Promise<CandidateMatches[]> {
    return (await this.lookUpParts(candidates, connection)).matches;
  }

  private async lookUpParts(
    candidates: readonly ReceiptIdCandidate[],
    connection: string,
  ): Promise<{ matches: CandidateMatches[]; found: ReceiptCandidateMatch[] }> {
    // A submit_sm_resp read in the same chunk of input as this receipt is recorded only after a
    // few promise steps: let those run first, then wait for the record itself.
    await new Promise((resolve) => setImmediate(resolve));
    await this.options.recorded?.(candidates.map((c) => c.carrierId));
    const found = await this.options.store.receiptMatches(candidates.map((c) => c.carrierId));
    const matches = candidates.map((candidate) => ({
      ...candidate,
      matches: found
        .filter((m) => m.carrierMessageId === candidate.carrierId)
        .map((m) => ({ status: m.status, onConnection: m.connection === connection })),
    }));
    return { matches, found };
  }

  private async act(receipt: DeliveryReceipt, candidates: readonly ReceiptIdCandidate[], decision: ReceiptDecision): Promise<void> {
    const { store, logger } = this.options;
    const where = { carrierMessageId: receipt.carrierMessageId, connection: receipt.connection };
    const update = { status: statusForReceiptState(receipt.state), errorCode: receipt.errorCode, at: this.options.now() };
    switch (decision.action) {
      case 'apply': {
        if (decision.learned && !this.styleOf(receipt.connection).style) {
          this.styles.set(receipt.connection, decision.state);
          logger.info({ connection: receipt.connection, idStyle: decision.learned }, 'dispatch: learned how the receipts of a connection write message ids');
          this.retryAll(receipt.connection);
        }
        const { transitions } = await store.applyReceipt({ ...update, carrierMessageIds: [decision.carrierId] });
        this.stats.applied += 1;
        this.options.publish(transitions);
        return;
      }
      case 'unknown': {
        this.stats.unknown += 1;
        logger.debug(where, 'dispatch: receipt for an unknown id, kept until its submit is recorded');
        // Its submit may not be recorded yet: the store keeps it and markSent applies it.
        const style = this.styleOf(receipt.connection).style;
        const read = style ? candidates.filter((c) => c.readings.includes(style)) : [];
        const ids = (read.length > 0 ? read : candidates).map((c) => c.carrierId);
        this.options.publish((await store.applyReceipt({ ...update, carrierMessageIds: ids })).transitions);
        return;
      }
      case 'final':
        this.stats.duplicate += 1;
        logger.debug(where, 'dispatch: duplicate receipt for a final message, ignored');
        return;
      case 'ambiguous':
        this.stats.ambiguous += 1;
        logger.info(where, 'dispatch: receipt id still ambiguous after its hold, dropped (query_sm finishes its message)');
        return;
      case 'hold':
        throw new Error('a held receipt is not acted on');
    }
  }

  /**
   * A receipt the learned style reads as no message may still name one open message in another
   * reading (an SMSC writing some receipts another way). The rule never applies it there; the
   * SMSC is asked about that message instead, and its own answer applied (a few parts at most).
   */
  private async askInstead(receipt: DeliveryReceipt, matches: readonly CandidateMatches[], found: readonly ReceiptCandidateMatch[]): Promise<void> {
    const ask = this.options.ask;
    const unstyled = decideReceipt(UNKNOWN_STYLE, matches, this.options.now());
    if (!ask || unstyled.action !== 'apply') return;
    const parts = found.filter((m) => m.carrierMessageId === unstyled.carrierId && m.status === 'sent' && m.connection === receipt.connection);
    if (parts.length === 0 || parts.length > 3) return;
    this.stats.askedInstead += 1;
    for (const { part } of parts) this.options.publish((await ask(part)).transitions);
  }

  private retryAll(connection: string): void {
    for (const item of this.held.get(connection) ?? []) void this.retry(item);
  }

  /** Decides a held receipt again (style learned, or hold ran out); settles it unless still held. */
  private async retry(item: Held): Promise<void> {
    if (item.busy) return;
    item.busy = true;
    const connection = item.receipt.connection;
    try {
      const matches = await this.lookUp(item.candidates, connection);
      const decision = resolveHeld(this.styleOf(connection), matches, item.until, this.options.now());
      if (decision.action === 'hold') {
        clearTimeout(item.timer);
        item.timer = setTimeout(() => void this.retry(item), Math.max(1, item.until - this.options.now()));
        return;
      }
      this.remove(item);
      await this.act(item.receipt, item.candidates, decision);
      item.done();
    } catch (error) {
      this.remove(item);
      item.done(error instanceof Error ? error : new Error(String(error)));
    } finally {
      item.busy = false;
    }
  }

  private remove(item: Held): void {
    clearTimeout(item.timer);
    const items = (this.held.get(item.receipt.connection) ?? []).filter((other) => other !== item);
    if (items.length > 0) this.held.set(item.receipt.connection, items);
    else this.held.delete(item.receipt.connection);
  }
}
