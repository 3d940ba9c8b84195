import { ERROR_STATUSES } from '../domain/message-status.js';
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

const ERRORS: ReadonlySet<string> = new Set(ERROR_STATUSES);

/** The totals out of every registry of the process (main thread and dispatch thread). */
export function trafficTotals(parts: readonly MetricsJson[]): TrafficTotals {
  let accepted = 0;
  let delivered = 0;
  let errors = 0;
  let queuing: number | undefined;
  let sentAwaitingReceipt: number | undefined;
  for (const metric of parts.flat()) {
    for (const { labels, value } of metric.values) {
      if (metric.name === 'smsgate_sends_accepted_total') accepted += value;
      else if (metric.name === 'smsgate_message_statuses_total' && labels.status === 'delivered') delivered += value;
      else if (metric.name === 'smsgate_message_statuses_total' && ERRORS.has(String(labels.status))) errors += value;
      else if (metric.name === 'smsgate_queue_depth' && labels.status === 'queuing') queuing = value;
      else if (metric.name === 'smsgate_queue_depth' && labels.status === 'sent') sentAwaitingReceipt = value;
    }
  }
  return { accepted, delivered, errors, ...(queuing === undefined ? {} : { queuing }), ...(sentAwaitingReceipt === undefined ? {} : { sentAwaitingReceipt }) };
}
