import { ERROR_STATUSES } from '../domain/message-status.js';
import { liveCounters } from './live-counters.js';
import type { MetricsJson } from './metrics.js';

/** Counts since start (accepted, delivered, errors) and the queue now, as the summary line gives them. */
export interface TrafficTotals {
  readonly accepted: number;
  readonly delivered: number;
  /** Messages that ended in an error status. */
  readonly errors: number;
  /** Absent where this process does not read the queue. */
  readonly queuing?: number;
  readonly sentAwaitingReceipt?: number;
}

/** The totals out of every registry of the process (main thread and dispatch thread). */
export function trafficTotals(parts: readonly MetricsJson[]): TrafficTotals {
  const counters = liveCounters(parts);
  let queuing: number | undefined;
  let sentAwaitingReceipt: number | undefined;
  for (const metric of parts.flat()) {
    if (metric.name !== 'smsgate_queue_depth') continue;
    for (const { labels, value } of metric.values) {
      if (labels.status === 'queuing') queuing = value;
      else if (labels.status === 'sent') sentAwaitingReceipt = value;
    }
  }
  return {
    accepted: counters.accepted,
    delivered: counters.statuses.delivered,
    errors: errorsOf(counters.statuses),
    ...(queuing === undefined ? {} : { queuing }),
    ...(sentAwaitingReceipt === undefined ? {} : { sentAwaitingReceipt }),
  };
}

/** How many times an error status was reached, all error statuses together. */
export function errorsOf(statuses: Readonly<Record<string, number>>): number {
  return ERROR_STATUSES.reduce((total, status) => total + (statuses[status] ?? 0), 0);
}
