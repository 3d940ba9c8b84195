import { describe, expect, it } from 'vitest';
import type { MessageStatus } from './message-status.js';
import {
  DEFAULT_RECEIPT_HOLD_MS,
  UNKNOWN_STYLE,
  decideReceipt,
  receiptIdCandidates,
  resolveHeld,
  type CandidateMatches,
  type IdReading,
  type IdStyleState,
  type MatchedMessage,
  type ReceiptDecision,
} from './receipt-id-style.js';

const NOW = 1_000_000;
const sent: MatchedMessage = { status: 'sent', onConnection: true };
const sentElsewhere: MatchedMessage = { status: 'sent', onConnection: false };
const delivered: MatchedMessage = { status: 'delivered', onConnection: true };

/** The candidates of a receipt id with what a store holding `store` (carrier id -> messages) finds. */
function lookUp(receiptId: string, store: Record<string, MatchedMessage[]>): CandidateMatches[] {
  return receiptIdCandidates(receiptId).map((c) => ({ ...c, matches: store[c.carrierId] ?? [] }));
}

const learned = (style: IdReading): IdStyleState => ({ style });

describe('receiptIdCandidates', () => {
  it('reads an all-digit id as written, as hex of a decimal id and as decimal of a hex id', () => {
    expect(receiptIdCandidates('10')).toEqual([
      { carrierId: '10', readings: ['as-written'] },
      { carrierId: '16', readings: ['hex-of-decimal'] },
      { carrierId: 'a', readings: ['decimal-of-hex'] },
    ]);
  });
  it('gives an id with a-f no decimal reading, and normalises case and leading zeros', () => {
    expect(receiptIdCandidates('00A')).toEqual([
      { carrierId: 'a', readings: ['as-written'] },
      { carrierId: '10', readings: ['hex-of-decimal'] },
    ]);
  });
  it('gives ids 0-9 one candidate that every reading shares', () => {
    expect(receiptIdCandidates('7')).toEqual([{ carrierId: '7', readings: ['as-written', 'hex-of-decimal', 'decimal-of-hex'] }]);
  });
  it('reads an id that is not a number only as written', () => {
    expect(receiptIdCandidates('Msg-1')).toEqual([{ carrierId: 'msg-1', readings: ['as-written'] }]);
  });
});

describe('decideReceipt before the style is known', () => {
  it('applies an id with a-f to the one reading naming an open message, and learns that style', () => {
    const decision = decideReceipt(UNKNOWN_STYLE, lookUp('a', { '10': [sent] }), NOW);
    expect(decision).toEqual({ action: 'apply', carrierId: '10', state: learned('hex-of-decimal'), learned: 'hex-of-decimal' });
  });
  it('applies an all-digit id that names an open message in one reading only, and learns from it', () => {
    expect(decideReceipt(UNKNOWN_STYLE, lookUp('10', { '16': [sent] }), NOW)).toMatchObject({
      action: 'apply',
      carrierId: '16',
      state: learned('hex-of-decimal'),
    });
    expect(decideReceipt(UNKNOWN_STYLE, lookUp('10', { '10': [sent] }), NOW)).toMatchObject({
      action: 'apply',
      carrierId: '10',
      state: learned('as-written'),
    });
    expect(decideReceipt(UNKNOWN_STYLE, lookUp('10', { a: [sent] }), NOW)).toMatchObject({
      action: 'apply',
      carrierId: 'a',
      state: learned('decimal-of-hex'),
    });
  });
  it('holds a receipt that names open messages in two readings, without learning', () => {
    const decision = decideReceipt(UNKNOWN_STYLE, lookUp('10', { '10': [sent], '16': [sent] }), NOW, 2000);
    expect(decision).toEqual({ action: 'hold', until: NOW + 2000, state: UNKNOWN_STYLE });
    expect(decideReceipt(UNKNOWN_STYLE, lookUp('10', { '10': [sent], a: [sent] }), NOW)).toEqual({
      action: 'hold',
      until: NOW + DEFAULT_RECEIPT_HOLD_MS,
      state: UNKNOWN_STYLE,
    });
  });
  it('counts open messages of other connections as rival readings too', () => {
    expect(decideReceipt(UNKNOWN_STYLE, lookUp('10', { '10': [sent], '16': [sentElsewhere] }), NOW).action).toBe('hold');
  });
  it('lets a reading that names only final messages not compete with one naming an open message', () => {
    expect(decideReceipt(UNKNOWN_STYLE, lookUp('10', { '10': [sent], '16': [delivered] }), NOW)).toMatchObject({
      action: 'apply',
      carrierId: '10',
      state: learned('as-written'),
    });
  });
  it('applies ids 0-9 without learning anything from them', () => {
    expect(decideReceipt(UNKNOWN_STYLE, lookUp('7', { '7': [sent] }), NOW)).toEqual({ action: 'apply', carrierId: '7', state: UNKNOWN_STYLE });
  });
  it('applies but does not learn when the one reading names two open messages', () => {
    expect(decideReceipt(UNKNOWN_STYLE, lookUp('10', { '16': [sent, sentElsewhere] }), NOW)).toEqual({
      action: 'apply',
      carrierId: '16',
      state: UNKNOWN_STYLE,
    });
  });
  it('never applies to a final message: a receipt naming only final messages is a duplicate', () => {
    expect(decideReceipt(UNKNOWN_STYLE, lookUp('10', { '10': [delivered], '16': [{ status: 'error_expired', onConnection: true }] }), NOW)).toEqual({
      action: 'final',
      state: UNKNOWN_STYLE,
    });
  });
  it('calls a receipt naming no message unknown', () => {
    expect(decideReceipt(UNKNOWN_STYLE, lookUp('10', {}), NOW)).toEqual({ action: 'unknown', state: UNKNOWN_STYLE });
  });
});

describe('decideReceipt once the style is known', () => {
  const both = { '10': [sent], '16': [sent], a: [sent] };
  it('reads every receipt in the learned style, however many readings name open messages', () => {
    expect(decideReceipt(learned('hex-of-decimal'), lookUp('10', both), NOW)).toEqual({ action: 'apply', carrierId: '16', state: learned('hex-of-decimal') });
    expect(decideReceipt(learned('as-written'), lookUp('10', both), NOW)).toMatchObject({ action: 'apply', carrierId: '10' });
    expect(decideReceipt(learned('decimal-of-hex'), lookUp('10', both), NOW)).toMatchObject({ action: 'apply', carrierId: 'a' });
  });
  it('does not fall back to another reading when the learned one names nothing', () => {
    expect(decideReceipt(learned('hex-of-decimal'), lookUp('10', { '10': [sent] }), NOW)).toEqual({ action: 'unknown', state: learned('hex-of-decimal') });
  });
  it('leaves a final message alone', () => {
    expect(decideReceipt(learned('hex-of-decimal'), lookUp('10', { '16': [delivered], '10': [sent] }), NOW)).toEqual({
      action: 'final',
      state: learned('hex-of-decimal'),
    });
  });
  it('reads an id the learned style cannot read as written', () => {
    expect(decideReceipt(learned('decimal-of-hex'), lookUp('ab', { ab: [sent], '171': [sent] }), NOW)).toMatchObject({ action: 'apply', carrierId: 'ab' });
    expect(decideReceipt(learned('hex-of-decimal'), lookUp('msg-1', { 'msg-1': [sent] }), NOW)).toMatchObject({ action: 'apply', carrierId: 'msg-1' });
  });
});

describe('resolveHeld', () => {
  const ambiguous = { '10': [sent], '16': [sent] };
  const until = NOW + 5000;
  it('keeps holding until its time while the style is unknown', () => {
    expect(resolveHeld(UNKNOWN_STYLE, lookUp('10', ambiguous), until, until - 1)).toEqual({ action: 'hold', until, state: UNKNOWN_STYLE });
  });
  it('applies in the style learned meanwhile', () => {
    expect(resolveHeld(learned('hex-of-decimal'), lookUp('10', ambiguous), until, NOW)).toMatchObject({ action: 'apply', carrierId: '16' });
    expect(resolveHeld(learned('as-written'), lookUp('10', ambiguous), until, NOW)).toMatchObject({ action: 'apply', carrierId: '10' });
  });
  it('applies to the one rival left open once the other became final', () => {
    expect(resolveHeld(UNKNOWN_STYLE, lookUp('10', { '10': [delivered], '16': [sent] }), until, NOW)).toMatchObject({ action: 'apply', carrierId: '16' });
  });
  it('after its time, goes to the one reading naming a `sent` message of its own connection, learning nothing', () => {
    const decision = resolveHeld(UNKNOWN_STYLE, lookUp('10', { '10': [sent], '16': [sentElsewhere] }), until, until);
    expect(decision).toEqual({ action: 'apply', carrierId: '10', state: UNKNOWN_STYLE });
  });
  it('after its time, drops it when more than one reading names a `sent` message of its connection', () => {
    expect(resolveHeld(UNKNOWN_STYLE, lookUp('10', ambiguous), until, until + 1)).toEqual({ action: 'ambiguous', state: UNKNOWN_STYLE });
  });
  it('after its time, drops it when no reading names a `sent` message of its connection', () => {
    const queuingHere: MatchedMessage = { status: 'queuing', onConnection: true };
    expect(resolveHeld(UNKNOWN_STYLE, lookUp('10', { '10': [sentElsewhere], '16': [queuingHere] }), until, until)).toEqual({
      action: 'ambiguous',
      state: UNKNOWN_STYLE,
    });
  });
  it('gives up on a receipt whose messages all became final meanwhile', () => {
    expect(resolveHeld(UNKNOWN_STYLE, lookUp('10', { '10': [delivered], '16': [delivered] }), until, NOW).action).toBe('final');
  });
});

/**
 * 200 messages with ids from 1 on one connection, receipts in submit order, the way a store and
 * dispatcher would use the rule: every receipt must end on its own message and on no other.
 */
describe('a connection of 200 messages with ids from 1', () => {
  type Style = 'dec' | 'hex' | 'dec-in-answer-hex-in-receipt' | 'hex-in-answer-dec-in-receipt';
  const write = (n: number, base: 10 | 16): string => n.toString(base);
  const bases: Record<Style, [answer: 10 | 16, receipt: 10 | 16]> = {
    dec: [10, 10],
    hex: [16, 16],
    'dec-in-answer-hex-in-receipt': [10, 16],
    'hex-in-answer-dec-in-receipt': [16, 10],
  };

  for (const style of Object.keys(bases) as Style[]) {
    it(`ends every message by its own receipt (${style})`, () => {
      const [answerBase, receiptBase] = bases[style];
      const statusById = new Map<string, { n: number; status: MessageStatus }>();
      for (let n = 1; n <= 200; n += 1) statusById.set(write(n, answerBase), { n, status: 'sent' });
      const candidates = (receiptId: string): CandidateMatches[] =>
        receiptIdCandidates(receiptId).map((c) => {
          const found = statusById.get(c.carrierId);
          return { ...c, matches: found ? [{ status: found.status, onConnection: true }] : [] };
        });
      const wrong: string[] = [];
      let state: IdStyleState = UNKNOWN_STYLE;
      let held: { n: number; receiptId: string; until: number }[] = [];
      const apply = (n: number, decision: ReceiptDecision): void => {
        if (decision.action !== 'apply') return;
        const target = statusById.get(decision.carrierId)!;
        if (target.n !== n) wrong.push(`receipt of ${n} applied to ${target.n}`);
        target.status = 'delivered';
      };
      const retryHeld = (now: number): void => {
        held = held.filter((h) => {
          const decision = resolveHeld(state, candidates(h.receiptId), h.until, now);
          apply(h.n, decision);
          return decision.action === 'hold';
        });
      };
      for (let n = 1; n <= 200; n += 1) {
        const receiptId = write(n, receiptBase);
        const decision = decideReceipt(state, candidates(receiptId), NOW + n);
        state = decision.state;
        if (decision.action === 'hold') held.push({ n, receiptId, until: decision.until });
        apply(n, decision);
        if (decision.action === 'apply' && decision.learned) retryHeld(NOW + n);
      }
      retryHeld(NOW + DEFAULT_RECEIPT_HOLD_MS * 2);
      expect(wrong).toEqual([]);
      expect([...statusById.values()].filter((m) => m.status !== 'delivered').map((m) => m.n)).toEqual([]);
    });
  }
});
