import type { Logger } from 'pino';

/** How often at most a connection reports the submits that will be retried. */
export const RETRY_REPORT_INTERVAL_MS = 10_000;

/**
 * Counts a connection's submits answered busy (ESME_RTHROTTLED, ESME_RMSGQFUL) or not answered
 * in time (TIMEOUT). Under load these are normal flow (the message is retried), so instead of a
 * line each, the first starts a window and one warning at its end gives the counts by status
 * name. stop() reports what is left.
 */
export class RetryTally {
  private counts = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: Logger,
    private readonly intervalMs: number = RETRY_REPORT_INTERVAL_MS,
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
    this.log.warn({ retriedSubmits: total, byStatus, withinMs: this.intervalMs }, `${total} submits answered busy or not in time; they are retried`);
  }
}
