import type { MetricValueWithName } from 'prom-client';
import { MESSAGE_STATUSES, type MessageStatus } from '../domain/message-status.js';
import type { MetricsJson } from './metrics.js';

/** One cumulative bucket: observations at or below `le` seconds. */
export interface LatencyBucket {
  readonly le: number | '+Inf';
  readonly count: number;
}

/** A histogram as Prometheus keeps it: cumulative buckets, the count and the sum of observations. */
export interface LatencyHistogram {
  readonly buckets: readonly LatencyBucket[];
  readonly count: number;
  readonly sum: number;
}

/** The send and status counters of one process since it started, out of its metrics. */
export interface LiveCounters {
  readonly accepted: number;
  readonly rejected: number;
  /** How many times each status was reached (every status present, 0 included). */
  readonly statuses: Readonly<Record<MessageStatus, number>>;
  readonly acceptLatency: LatencyHistogram;
}

const ACCEPT_SECONDS = 'smsgate_send_accept_seconds';

/**
 * The counters out of every registry of the process (main thread and dispatch thread), added up
 * as /metrics adds them. Read from what the registries already keep: nothing is counted for this.
 */
export function liveCounters(parts: readonly MetricsJson[]): LiveCounters {
  let accepted = 0;
  let rejected = 0;
  const statuses = Object.fromEntries(MESSAGE_STATUSES.map((status) => [status, 0])) as Record<MessageStatus, number>;
  const buckets = new Map<number | '+Inf', number>();
  let count = 0;
  let sum = 0;
  for (const metric of parts.flat()) {
    // Histograms' samples carry their name (_bucket, _sum, _count); the JSON type leaves it out.
    for (const { labels, value, metricName } of metric.values as MetricValueWithName<string>[]) {
      if (metric.name === 'smsgate_sends_accepted_total') accepted += value;
      else if (metric.name === 'smsgate_sends_rejected_total') rejected += value;
      else if (metric.name === 'smsgate_message_statuses_total' && String(labels.status) in statuses) statuses[labels.status as MessageStatus] += value;
      else if (metric.name === ACCEPT_SECONDS && metricName === `${ACCEPT_SECONDS}_bucket`) {
        const le = labels.le === '+Inf' ? '+Inf' : Number(labels.le);
        buckets.set(le, (buckets.get(le) ?? 0) + value);
      } else if (metric.name === ACCEPT_SECONDS && metricName === `${ACCEPT_SECONDS}_count`) count += value;
      else if (metric.name === ACCEPT_SECONDS && metricName === `${ACCEPT_SECONDS}_sum`) sum += value;
    }
  }
  const bounds = [...buckets.keys()].sort((a, b) => (a === '+Inf' ? 1 : b === '+Inf' ? -1 : a - b));
  return { accepted, rejected, statuses, acceptLatency: { buckets: bounds.map((le) => ({ le, count: buckets.get(le)! })), count, sum } };
}
