/**
 * Runs callbacks at their due time with one timer for all of them: receipts fall due in the order
 * they were owed (one delay for all), so a FIFO and a timer for its head is enough, and every
 * receipt due by then goes out in the same event-loop turn (one write for the batch). One due
 * earlier than the last queued (a different delay) gets a timer of its own.
 */
export class DueQueue {
  private readonly items: { at: number; run: () => void }[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly own = new Set<NodeJS.Timeout>();

  constructor(private readonly now: () => number = Date.now) {}

  add(at: number, run: () => void): void {
    const last = this.items[this.items.length - 1];
    if (last && at < last.at) {
      const timer = setTimeout(() => {
        this.own.delete(timer);
        run();
      }, at - this.now());
      this.own.add(timer);
      return;
    }
    this.items.push({ at, run });
    if (!this.timer) this.arm();
  }

  close(): void {
    clearTimeout(this.timer);
    for (const timer of this.own) clearTimeout(timer);
    this.items.length = 0;
    this.head = 0;
  }

  private arm(): void {
    const next = this.items[this.head];
    if (!next) {
      this.timer = undefined;
      return;
    }
    this.timer = setTimeout(() => this.runDue(), Math.max(0, next.at - this.now()));
  }

  private runDue(): void {
    const now = this.now();
    while (this.head < this.items.length && this.items[this.head]!.at <= now) {
      const item = this.items[this.head]!;
      this.head += 1;
      item.run();
    }
    // Drop the run part now and then, not on every turn.
    if (this.head > 1024 || this.head === this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    this.arm();
  }
}
