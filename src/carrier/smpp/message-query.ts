import smpp, { type PDU, type Session } from 'smpp';
import type { QueryAnswer } from '../carrier.js';
import { ESME_RINVCMDID, ESME_RMSGQFUL, ESME_RTHROTTLED } from './command-status.js';
import { messageStateName } from './receipt-parser.js';
import { SendRate } from './send-rate.js';

/** The SMSC does not support query_sm: ESME_RINVCMDID, or generic_nack (whatever its status). */
export function isQueryRefusal(resp: PDU): boolean {
  return resp.command === 'generic_nack' || resp.command_status === ESME_RINVCMDID;
}

export interface PendingQuery {
  /** The response, or undefined after the timeout, when the PDU could not be written, or on cancel(). */
  readonly answer: Promise<PDU | undefined>;
  cancel(): void;
}

/** Sends one query_sm on a session, waiting at most `timeoutMs` for its response. */
export function sendQuerySm(session: Session, params: Record<string, unknown>, timeoutMs: number): PendingQuery {
  let settle!: (resp: PDU | undefined) => void;
  const answer = new Promise<PDU | undefined>((resolve) => (settle = resolve));
  const timer = setTimeout(() => settle(undefined), timeoutMs);
  const finish = (resp: PDU | undefined): void => {
    clearTimeout(timer);
    settle(resp);
  };
  if (!session.send(new smpp.PDU('query_sm', params), finish)) finish(undefined);
  return { answer, cancel: () => finish(undefined) };
}

/**
 * A query_sm_resp read as an answer. `refused`: the SMSC does not support query_sm on that bind
 * (ESME_RINVCMDID or generic_nack), so the caller asks through another bind or gives up.
 * No response at all, or a busy one, is `unavailable`; any other error status means the SMSC
 * does not know the id (ESME_RQUERYFAIL, ESME_RINVMSGID, ...).
 */
export function readQueryResponse(resp: PDU | undefined): QueryAnswer | 'refused' {
  if (!resp) return 'unavailable';
  if (isQueryRefusal(resp)) return 'refused';
  const status = resp.command_status;
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
