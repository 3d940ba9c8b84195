import { describe, expect, it } from 'vitest';
import { carrierIdCandidates, normaliseCarrierId } from './carrier-id.js';

describe('normaliseCarrierId', () => {
  it('lower-cases, trims and drops leading zeros of hex ids', () => {
    expect(normaliseCarrierId(' 00ABCDEF ')).toBe('abcdef');
    expect(normaliseCarrierId('000123')).toBe('123');
    expect(normaliseCarrierId('0')).toBe('0');
    expect(normaliseCarrierId('0000')).toBe('0');
  });
  it('keeps non-hex ids as they are, only lower-cased', () => {
    expect(normaliseCarrierId('00Msg-ID_7')).toBe('00msg-id_7');
    expect(normaliseCarrierId('550E8400-E29B')).toBe('550e8400-e29b');
  });
});

describe('carrierIdCandidates', () => {
  it('gives the decimal reading of a hex id and the hex reading of a decimal one', () => {
    expect(carrierIdCandidates('ff')).toEqual(['ff', '255']);
    expect(carrierIdCandidates('255')).toEqual(expect.arrayContaining(['255', 'ff', '597']));
    expect(carrierIdCandidates('0A')).toEqual(['a', '10']);
  });
  it('matches a receipt id in the other base, leading zeros included', () => {
    const submitted = normaliseCarrierId('0000002A');
    expect(carrierIdCandidates('42')).toContain(submitted);
    expect(carrierIdCandidates('0042')).toContain(submitted);
  });
  it('handles large ids without losing precision', () => {
    const hex = 'ffffffffffffffffffff'; // 80 bits
    expect(carrierIdCandidates(hex)).toContain(BigInt(`0x${hex}`).toString(10));
    expect(carrierIdCandidates('1208925819614629174706175')).toContain(hex);
  });
  it('gives only its own form for an id that is not a number', () => {
    expect(carrierIdCandidates('msg-1')).toEqual(['msg-1']);
  });
  it('does not convert absurdly long numbers', () => {
    expect(carrierIdCandidates('1'.repeat(40))).toEqual(['1'.repeat(40)]);
  });
});
