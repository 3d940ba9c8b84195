import { CarrierSubmitError } from '../carrier.js';
import type { SmFields } from './pdu-codec.js';

/** A submit_sm waiting for a window slot (queued) or for its submit_sm_resp (in flight). */
export interface PendingSubmit {
  readonly params: SmFields;
  resolve(messageId: string): void;
  reject(error: CarrierSubmitError): void;
}

interface Entry extends PendingSubmit {
  /** When the current wait (for a slot, or for the response) runs out. */
  deadline: number;
}

/**
 * How often the one sweep of a queue looks for submits whose wait ran out: a twentieth of the
 * timeout, between 5 and 250 ms. A wait therefore ends between `timeoutMs` and `timeoutMs` plus
 * one sweep interval (plus event-loop lag), instead of exactly: one timer per queue, not one per
 * submit (a timer and its closure per submit cost more than encoding the submit).
 */
export function sweepIntervalMs(timeoutMs: number): number {
  return Math.min(250, Math.max(5, Math.floor(timeoutMs / 20)));
}

/**
 * The submits of one bind. Neither waiting state lasts longer than `timeoutMs` (within one sweep
 * interval, above): a submit that found no bound session or window slot in time, or got no
 * response in time, fails with `retry` so the dispatcher can try again later (and through
 * another bind).
 */
export class SubmitQueue {
  private readonly queued: Entry[] = [];
  /** By sequence number; insertion order is deadline order, since each gets now + timeoutMs. */
  private readonly inFlight = new Map<number, Entry>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly timeoutMs: number,
    /** Called when a timeout frees a window slot. */
    private readonly onFreed: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  get queuedCount(): number {
    return this.queued.length;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  enqueue(params: SmFields): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      this.queued.push({ params, resolve, reject, deadline: this.now() + this.timeoutMs });
      this.sweepWhileBusy();
    });
  }

  /** The oldest queued submit, to be sent now. */
  next(): PendingSubmit | undefined {
    return this.queued.shift();
  }

  /** A submit that could not be written after all goes back to the head of the queue. */
  putBack(entry: PendingSubmit): void {
    this.queued.unshift(entry as Entry);
  }

  markInFlight(pending: PendingSubmit, sequence: number): void {
    const entry = pending as Entry;
    entry.deadline = this.now() + this.timeoutMs;
    this.inFlight.set(sequence, entry);
    this.sweepWhileBusy();
  }

  /** True when this response is for a submit still waiting for it (not timed out). */
  settle(pending: PendingSubmit, sequence: number): boolean {
    if (this.inFlight.get(sequence) !== pending) return false;
    this.inFlight.delete(sequence);
    return true;
  }

  /** The submit waiting for the response with this sequence number, if one still is. */
  inFlightAt(sequence: number): PendingSubmit | undefined {
    return this.inFlight.get(sequence);
  }

  /**
   * The session dropped: its unanswered submits will never be answered (the session is gone), so they go back to the head of the queue, in send order, to be resent.
   */
  requeueInFlight(): number {
    const entries = [...this.inFlight.entries()].sort(([a], [b]) => a - b).map(([, e]) => e);
    this.inFlight.clear();
    const deadline = this.now() + this.timeoutMs;
    for (const entry of entries) entry.deadline = deadline;
    this.queued.unshift(...entries);
    return entries.length;
  }

  failAll(error: CarrierSubmitError): void {
    const all = [...this.queued, ...this.inFlight.values()];
    this.queued.length = 0;
    this.inFlight.clear();
    this.stopSweeping();
    for (const entry of all) entry.reject(error);
  }

  private sweepWhileBusy(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs(this.timeoutMs));
  }

  private stopSweeping(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private sweep(): void {
    const now = this.now();
    let freed = 0;
    for (const [sequence, entry] of this.inFlight) {
      if (entry.deadline > now) break;
      this.inFlight.delete(sequence);
      freed += 1;
      entry.reject(new CarrierSubmitError('retry', 'TIMEOUT', `no submit_sm_resp within ${this.timeoutMs} ms`));
    }
    if (this.queued.some((e) => e.deadline <= now)) {
      const expired = this.queued.filter((e) => e.deadline <= now);
      const waiting = this.queued.filter((e) => e.deadline > now);
      this.queued.length = 0;
      this.queued.push(...waiting);
      for (const entry of expired) {
        entry.reject(new CarrierSubmitError('retry', 'NO_BIND', `no bound session with window space within ${this.timeoutMs} ms`));
      }
    }
    if (this.inFlight.size === 0 && this.queued.length === 0) this.stopSweeping();
    for (let i = 0; i < freed; i += 1) this.onFreed();
  }
}
