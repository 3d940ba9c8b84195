import { CarrierSubmitError } from '../carrier.js';

/** A submit_sm waiting for a window slot (queued) or for its submit_sm_resp (in flight). */
export interface PendingSubmit {
  readonly params: Record<string, unknown>;
  resolve(messageId: string): void;
  reject(error: CarrierSubmitError): void;
}

interface Entry extends PendingSubmit {
  state: 'queued' | 'inflight' | 'done';
  timer: NodeJS.Timeout | undefined;
}

/**
 * The submits of one bind. Neither waiting state lasts longer than `timeoutMs`: a submit that
 * found no bound session or window slot in time, or got no response in time, fails with `retry`
 * so the dispatcher can try again later (and through another bind).
 */
export class SubmitQueue {
  private readonly queued: Entry[] = [];
  private readonly inFlight = new Map<number, Entry>();

  constructor(
    private readonly timeoutMs: number,
    /** Called when a timeout frees a window slot. */
    private readonly onFreed: () => void,
  ) {}

  get queuedCount(): number {
    return this.queued.length;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  enqueue(params: Record<string, unknown>): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const entry: Entry = {
        params,
        state: 'queued',
        timer: undefined,
        resolve: (id) => {
          entry.state = 'done';
          resolve(id);
        },
        reject: (error) => {
          entry.state = 'done';
          reject(error);
        },
      };
      this.waitInQueue(entry);
      this.queued.push(entry);
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
    clearTimeout(entry.timer);
    entry.state = 'inflight';
    this.inFlight.set(sequence, entry);
    entry.timer = setTimeout(() => {
      if (this.inFlight.get(sequence) !== entry) return;
      this.inFlight.delete(sequence);
      entry.reject(new CarrierSubmitError('retry', 'TIMEOUT', `no submit_sm_resp within ${this.timeoutMs} ms`));
      this.onFreed();
    }, this.timeoutMs);
  }

  /** True when this response is for a submit still waiting for it (not timed out). */
  settle(pending: PendingSubmit, sequence: number): boolean {
    const entry = pending as Entry;
    if (this.inFlight.get(sequence) !== entry) return false;
    this.inFlight.delete(sequence);
    clearTimeout(entry.timer);
    return true;
  }

  /**
   * The session dropped: its unanswered submits will never be answered (the smpp package drops
   * their callbacks), so they go back to the head of the queue, in send order, to be resent.
   */
  requeueInFlight(): number {
    const entries = [...this.inFlight.entries()].sort(([a], [b]) => a - b).map(([, e]) => e);
    this.inFlight.clear();
    for (const entry of entries) {
      clearTimeout(entry.timer);
      entry.state = 'queued';
      this.waitInQueue(entry);
    }
    this.queued.unshift(...entries);
    return entries.length;
  }

  failAll(error: CarrierSubmitError): void {
    const all = [...this.queued, ...this.inFlight.values()];
    this.queued.length = 0;
    this.inFlight.clear();
    for (const entry of all) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
  }

  private waitInQueue(entry: Entry): void {
    entry.timer = setTimeout(() => {
      const at = this.queued.indexOf(entry);
      if (entry.state !== 'queued' || at < 0) return;
      this.queued.splice(at, 1);
      entry.reject(new CarrierSubmitError('retry', 'NO_BIND', `no bound session with window space within ${this.timeoutMs} ms`));
    }, this.timeoutMs);
  }
}
