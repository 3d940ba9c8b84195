import { carrierIdReadings } from './carrier-id.js';
import { isFinalStatus, type MessageStatus } from './message-status.js';

/**
 * Which message a delivery receipt is for.
 *
 * Many SMSCs answer submit_sm_resp with a decimal id and write the same id in hex in the receipt
 * (`16` answered, `10` in the receipt); others write it in decimal for a hex answer, most write
 * it as answered. An all-digit receipt id therefore has several readings, and `10` is also a
 * valid decimal id: reading it the wrong way marks another message delivered. The rule:
 *
 * - A connection's id style is one reading, the same for all its receipts. Until it is known,
 *   it is learned from an unambiguous receipt: one whose readings name open (not final)
 *   messages in one reading only, and exactly one open message there. An id with a-f has no
 *   decimal reading, so it usually is one. Ids 0-9 read the same every way and teach nothing.
 * - Once the style is known, every receipt of the connection is read in that style only (an id
 *   that cannot be read so, e.g. one with a-f for a decimal style, is read as written).
 * - Before that, a receipt naming open messages in more than one reading is held, not applied.
 *   It is decided again when the style is learned, and when its hold runs out it goes to the
 *   one reading that names a message in `sent` on the receipt's own connection; when there is
 *   not exactly one such reading it is dropped (the message is finished by query_sm later).
 * - A receipt never changes a final message: a receipt naming only final messages is a
 *   duplicate or late one, and one naming no message is unknown (its submit may not be
 *   recorded yet). Both change nothing here; the caller counts them.
 *
 * All of it is pure: the caller looks up what each reading names and keeps the state and the
 * held receipts per connection. Which of several messages holding the chosen id (a reused id)
 * the receipt is for is reused-carrier-id.ts.
 */

/** How a connection's receipts write the ids its submit_sm_resp gave. */
export type IdReading = 'as-written' | 'hex-of-decimal' | 'decimal-of-hex';

/** What is known of one connection's receipt id style; start from UNKNOWN_STYLE or a configured one. */
export interface IdStyleState {
  readonly style?: IdReading;
}

export const UNKNOWN_STYLE: IdStyleState = Object.freeze({});

/** How long an ambiguous receipt waits for the style to be learned. */
export const DEFAULT_RECEIPT_HOLD_MS = 10_000;

/** A submitted id (normal form) a receipt's id may mean, and the readings that give it. */
export interface ReceiptIdCandidate {
  readonly carrierId: string;
  readonly readings: readonly IdReading[];
}

/** A message (or part) holding a candidate id, as the store found it. */
export interface MatchedMessage {
  readonly status: MessageStatus;
  /** Submitted on the connection the receipt came on. */
  readonly onConnection: boolean;
}

export interface CandidateMatches extends ReceiptIdCandidate {
  readonly matches: readonly MatchedMessage[];
}

export type ReceiptDecision =
  /** Apply the receipt to the open messages holding `carrierId`; `learned` when it taught the style. */
  | { readonly action: 'apply'; readonly carrierId: string; readonly state: IdStyleState; readonly learned?: IdReading }
  /** Keep it; decide again with resolveHeld when the style is learned or at `until`. */
  | { readonly action: 'hold'; readonly until: number; readonly state: IdStyleState }
  /** It names only final messages: a duplicate or late receipt. */
  | { readonly action: 'final'; readonly state: IdStyleState }
  /** It names no message. */
  | { readonly action: 'unknown'; readonly state: IdStyleState }
  /** Its hold ran out and still no single reading names a `sent` message of its connection. */
  | { readonly action: 'ambiguous'; readonly state: IdStyleState };

/** The distinct submitted ids a receipt's id may mean, for the store to look up. */
export function receiptIdCandidates(receiptId: string): ReceiptIdCandidate[] {
  const { asWritten, hexOfDecimal, decimalOfHex } = carrierIdReadings(receiptId);
  const byId = new Map<string, IdReading[]>();
  const add = (carrierId: string | undefined, reading: IdReading): void => {
    if (carrierId !== undefined) byId.set(carrierId, [...(byId.get(carrierId) ?? []), reading]);
  };
  add(asWritten, 'as-written');
  add(hexOfDecimal, 'hex-of-decimal');
  add(decimalOfHex, 'decimal-of-hex');
  return [...byId].map(([carrierId, readings]) => ({ carrierId, readings }));
}

const isOpen = (m: MatchedMessage): boolean => !isFinalStatus(m.status);

/** A receipt just received on a connection in `state`, with what each of its candidates names. */
export function decideReceipt(
  state: IdStyleState,
  candidates: readonly CandidateMatches[],
  now: number,
  holdMs = DEFAULT_RECEIPT_HOLD_MS,
): ReceiptDecision {
  return decide(state, candidates) ?? { action: 'hold', until: now + holdMs, state };
}

/** A held receipt, decided again with fresh matches: when the style was learned, or at `until`. */
export function resolveHeld(state: IdStyleState, candidates: readonly CandidateMatches[], until: number, now: number): ReceiptDecision {
  const decided = decide(state, candidates);
  if (decided) return decided;
  if (now < until) return { action: 'hold', until, state };
  const onThisConnection = candidates.filter((c) => c.matches.some((m) => m.status === 'sent' && m.onConnection));
  if (onThisConnection.length === 1) return { action: 'apply', carrierId: onThisConnection[0]!.carrierId, state };
  return { action: 'ambiguous', state };
}

/** The decision, or undefined when the receipt must be held. */
function decide(state: IdStyleState, candidates: readonly CandidateMatches[]): ReceiptDecision | undefined {
  if (state.style) {
    const style = state.style;
    const chosen = candidates.find((c) => c.readings.includes(style)) ?? candidates.find((c) => c.readings.includes('as-written'));
    return chosen ? settle(state, chosen) : { action: 'unknown', state };
  }
  const open = candidates.filter((c) => c.matches.some(isOpen));
  if (open.length === 0) {
    return candidates.some((c) => c.matches.length > 0) ? { action: 'final', state } : { action: 'unknown', state };
  }
  if (open.length > 1) return undefined;
  const only = open[0]!;
  const teaches = only.readings.length === 1 && only.matches.filter(isOpen).length === 1;
  if (!teaches) return { action: 'apply', carrierId: only.carrierId, state };
  const learned = only.readings[0]!;
  return { action: 'apply', carrierId: only.carrierId, state: { style: learned }, learned };
}

function settle(state: IdStyleState, candidate: CandidateMatches): ReceiptDecision {
  if (candidate.matches.some(isOpen)) return { action: 'apply', carrierId: candidate.carrierId, state };
  return candidate.matches.length > 0 ? { action: 'final', state } : { action: 'unknown', state };
}
