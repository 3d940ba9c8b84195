/** The times of past sends, read from the newest: what a sliding window looks at. */
export interface SendTimes {
  readonly length: number;
  /** The n-th most recent time (1: the newest); n from 1 to length. */
  newest(n: number): number;
}

/**
 * The last `keep` send times of one key (a number, a client), oldest overwritten first: O(1)
 * to add and to read, whatever the window's limit.
 */
export class TimeLog implements SendTimes {
  /** A plain array, not a Float64Array: a typed array adds a buffer of its own to every number held. */
  private times: number[];
  private start = 0;
  length = 0;

  constructor(keep: number) {
    this.times = new Array<number>(Math.max(1, keep)).fill(0);
  }

  newest(n: number): number {
    return this.times[(this.start + this.length - n) % this.times.length]!;
  }

  /** Adds `at` (not older than the newest) and keeps the last `keep`. */
  push(at: number, keep: number): void {
    if (keep < this.times.length) this.resize(Math.max(1, keep));
    // Grows by doubling up to `keep`, so a log restored from many sends is built in linear time.
    else if (this.length === this.times.length && keep > this.length) this.resize(Math.min(keep, this.length * 2));
    const capacity = this.times.length;
    if (this.length < capacity) {
      this.times[(this.start + this.length) % capacity] = at;
      this.length += 1;
    } else {
      this.times[this.start] = at;
      this.start = (this.start + 1) % capacity;
    }
  }

  /** Takes back the newest time equal to `at` (a send that was not accepted after all). */
  remove(at: number): void {
    const kept = this.toArray();
    const index = kept.lastIndexOf(at);
    if (index < 0) return;
    kept.splice(index, 1);
    this.refill(kept, this.times.length);
  }

  /** Oldest first. */
  toArray(): number[] {
    return Array.from({ length: this.length }, (_, i) => this.newest(this.length - i));
  }

  private resize(capacity: number): void {
    this.refill(this.toArray().slice(-capacity), capacity);
  }

  /** `kept` (oldest first) in a log of `capacity`. */
  private refill(kept: number[], capacity: number): void {
    this.times = kept.concat(new Array<number>(capacity - kept.length).fill(0));
    this.start = 0;
    this.length = kept.length;
  }
}
