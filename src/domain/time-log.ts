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
  private times: Float64Array;
  private start = 0;
  length = 0;

  constructor(keep: number) {
    this.times = new Float64Array(Math.max(1, keep));
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
    this.times.fill(0);
    this.times.set(kept);
    this.start = 0;
    this.length = kept.length;
  }

  /** Oldest first. */
  toArray(): number[] {
    return Array.from({ length: this.length }, (_, i) => this.newest(this.length - i));
  }

  private resize(capacity: number): void {
    const kept = this.toArray().slice(-capacity);
    this.times = new Float64Array(capacity);
    this.times.set(kept);
    this.start = 0;
    this.length = kept.length;
  }
}
