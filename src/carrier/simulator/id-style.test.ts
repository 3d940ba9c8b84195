import { describe, expect, it } from 'vitest';
import { answerId, parseAnswerId, receiptId } from './id-style.js';

describe('simulator id styles', () => {
  it('writes the answer and the receipt in each style', () => {
    expect([answerId(16n, 'hex'), receiptId(16n, 'hex')]).toEqual(['10', '10']);
    expect([answerId(16n, 'dec'), receiptId(16n, 'dec')]).toEqual(['16', '16']);
    expect([answerId(16n, 'dec-in-answer-hex-in-receipt'), receiptId(16n, 'dec-in-answer-hex-in-receipt')]).toEqual(['16', '10']);
    expect(receiptId(26n, 'hex', true)).toBe('26');
  });
  it('reads a queried id the way the answer wrote it', () => {
    expect(parseAnswerId('1A', 'hex')).toBe(26n);
    expect(parseAnswerId(' 0016 ', 'dec-in-answer-hex-in-receipt')).toBe(16n);
    expect(parseAnswerId('1a', 'dec')).toBeUndefined();
    expect(parseAnswerId('', 'hex')).toBeUndefined();
    expect(parseAnswerId('msg-1', 'hex')).toBeUndefined();
    expect(parseAnswerId(undefined, 'dec')).toBeUndefined();
  });
});
