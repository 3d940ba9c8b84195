import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { TrafficTotals } from '../metrics/traffic-totals.js';
import type { Closable } from './lifecycle.js';

/** What the summary needs of a logger; a pino Logger is one. */
export interface SummaryLogger {
  info(details: object, message: string): void;
}

/**
 * One log line per interval (a minute in production, SMSGATE_SUMMARY_INTERVAL_S) with what an
 * operator needs at a glance: the sends accepted, delivered and ended in error during the
 * interval and the queue now (from `traffic`, when metrics are on), and what shows a leak or a
 * stalled event loop coming: memory and event-loop delay. It costs one timer and the
 * histogram's sampling timer (every 20 ms), nothing per request.
 */
export function startProcessSummary(logger: SummaryLogger, intervalMs = 60_000, traffic?: () => Promise<TrafficTotals>): Closable {
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  let previous: TrafficTotals | undefined;
  const processFigures = () => {
    const memory = process.memoryUsage();
    const figures = {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      eventLoopDelayP99Ms: round(delay.percentile(99) / 1e6),
      eventLoopDelayMaxMs: round(delay.max / 1e6),
      activeHandles: process.getActiveResourcesInfo().length,
    };
    delay.reset();
    return figures;
  };
  const timer = setInterval(() => {
    const figures = processFigures();
    if (!traffic) {
      logger.info(figures, 'process summary');
      return;
    }
    traffic().then(
      (totals) => {
        logger.info({ ...inInterval(totals, previous), ...figures }, 'process summary');
        previous = totals;
      },
      () => logger.info(figures, 'process summary'),
    );
  }, intervalMs);
  // A summary is no reason to keep the process alive.
  timer.unref();
  return {
    close: async () => {
      clearInterval(timer);
      delay.disable();
    },
  };
}

function inInterval(now: TrafficTotals, before: TrafficTotals | undefined): TrafficTotals {
  return {
    ...now,
    accepted: now.accepted - (before?.accepted ?? 0),
    delivered: now.delivered - (before?.delivered ?? 0),
    errors: now.errors - (before?.errors ?? 0),
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
