import type { PDU } from 'smpp';
import type { QueryAnswer } from '../carrier.js';
import { ESME_RINVCMDID, ESME_RMSGQFUL, ESME_RTHROTTLED } from './command-status.js';
import { messageStateName } from './receipt-parser.js';
import { SendRate } from './send-rate.js';

/**
 * A query_sm_resp read as an answer. `refused`: the SMSC does not support query_sm on that bind
 * (ESME_RINVCMDID or generic_nack), so the caller asks through another bind or gives up.
 * No response at all, or a busy one, is `unavailable`; any other error status means the SMSC
 * does not know the id (ESME_RQUERYFAIL, ESME_RINVMSGID, ...).
 */
export function readQueryResponse(resp: PDU | undefined): QueryAnswer | 'refused' {
  if (!resp) return 'unavailable';
  const status = resp.command_status;
  if (resp.command === 'generic_nack' || status === ESME_RINVCMDID) return 'refused';
  if (status === ESME_RTHROTTLED || status === ESME_RMSGQFUL) return 'unavailable';
  if (status !== 0) return 'unknown';
  const state = messageStateName(Number(resp.message_state));
  if (state === undefined) return 'unknown';
  return { state, errorCode: String(Number(resp.error_code) || 0) };
}

/**
 * At most `perSecond` queries per connection in any one-second window. Each caller reserves the
 * next free send time; one whose turn is further off than `maxWaitMs` is turned away instead of
 * queuing, so a burst of queries costs a bounded wait, never a growing backlog.
 */
export class QueryRate {
  private readonly sent: SendRate;

  constructor(perSecond: number) {
    this.sent = new SendRate(perSecond);
  }

  /** Milliseconds to wait before sending, now reserved; undefined when that is over `maxWaitMs`. */
  reserve(now: number, maxWaitMs: number): number | undefined {
    const wait = this.sent.waitMs(now);
    if (wait > maxWaitMs) return undefined;
    this.sent.record(now + wait);
    return wait;
  }
}
