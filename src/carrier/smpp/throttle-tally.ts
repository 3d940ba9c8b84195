import type { Logger } from 'pino';

/** How often at most a connection reports the submits its SMSC turned away as busy. */
export const THROTTLE_REPORT_INTERVAL_MS = 10_000;

/**
 * Counts a connection's "busy" answers (ESME_RTHROTTLED, ESME_RMSGQFUL). They are normal flow
 * under load (the submit is retried), so instead of a line each, the first starts a window and
 * one warning at its end gives the counts by status name. stop() reports what is left.
 */
export class ThrottleTally {
  private counts = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: Logger,
    private readonly intervalMs: number = THROTTLE_REPORT_INTERVAL_MS,
  ) {}

  record(statusName: string): void {
    this.counts.set(statusName, (this.counts.get(statusName) ?? 0) + 1);
    this.timer ??= setTimeout(() => this.report(), this.intervalMs);
  }

  stop(): void {
    this.report();
  }

  private report(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.counts.size === 0) return;
    const byStatus = Object.fromEntries(this.counts);
    const total = [...this.counts.values()].reduce((a, b) => a + b, 0);
    this.counts = new Map();
    this.log.warn({ busyAnswers: total, byStatus, withinMs: this.intervalMs }, `smsc answered ${total} submits busy; they are retried`);
  }
}
