import type { Carrier, QueryAnswer } from '../carrier/carrier.js';
import { normaliseCarrierId } from '../domain/carrier-id.js';
import { statusForReceiptState } from '../domain/receipt-state.js';
import type { StatusTransition } from '../domain/status-transition.js';
import type { AwaitingReceiptPart, MessageStore } from '../store/message-store.js';

export interface AskOutcome {
  /** `answered`: a final state, applied; `open`: no final state now; `unsupported`: the connection takes no query_sm. */
  readonly outcome: 'answered' | 'open' | 'unsupported';
  readonly answer: QueryAnswer;
  readonly transitions: readonly StatusTransition[];
}

/**
 * Asks the SMSC about one part (query_sm, by its id as answered) and applies a final answer to
 * that part exactly as its receipt would have been: the store's receipt path, pinned to the
 * message asked about, so its transitions come back the same way.
 */
export async function askSmsc(carrier: Carrier, store: MessageStore, part: AwaitingReceiptPart, at: () => number): Promise<AskOutcome> {
  const answer = await carrier.queryMessage({ carrierMessageId: part.carrierMessageId, connection: part.connection, phoneNumber: part.phoneNumber });
  if (answer === 'unsupported') return { outcome: 'unsupported', answer, transitions: [] };
  if (typeof answer === 'string') return { outcome: 'open', answer, transitions: [] };
  const status = statusForReceiptState(answer.state);
  if (status === 'sent') return { outcome: 'open', answer, transitions: [] };
  const { transitions } = await store.applyReceipt({
    carrierMessageIds: [normaliseCarrierId(part.carrierMessageId)],
    status,
    errorCode: answer.errorCode,
    at: at(),
    smsUid: part.smsUid,
  });
  return { outcome: 'answered', answer, transitions };
}
