import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Closable } from './lifecycle.js';

/** What the summary needs of a logger; a pino Logger is one. */
export interface SummaryLogger {
  info(details: object, message: string): void;
}

/**
 * One log line per interval (a minute in production) with what an operator needs to see a leak
 * or a stalled event loop coming: memory and event-loop delay. It costs one timer and the
 * histogram's sampling timer (every 20 ms), nothing per request.
 */
export function startProcessSummary(logger: SummaryLogger, intervalMs = 60_000): Closable {
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  const timer = setInterval(() => {
    const memory = process.memoryUsage();
    logger.info(
      {
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        eventLoopDelayP99Ms: round(delay.percentile(99) / 1e6),
        eventLoopDelayMaxMs: round(delay.max / 1e6),
        activeHandles: process.getActiveResourcesInfo().length,
      },
      'process summary',
    );
    delay.reset();
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

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
