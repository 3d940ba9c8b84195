import { describe, expect, it } from 'vitest';
import { ReceiptDropper } from './receipt-dropper.js';

const dropsOf = (share: number, n: number): boolean[] => {
  const dropper = new ReceiptDropper(share);
  return Array.from({ length: n }, () => dropper.drops());
};

describe('ReceiptDropper', () => {
  it('drops exactly floor(n * share) of n receipts, spread out', () => {
    expect(dropsOf(0.3, 1000).filter(Boolean)).toHaveLength(300);
    expect(dropsOf(0.3, 10)).toEqual([false, false, false, true, false, false, true, false, false, true]);
    expect(dropsOf(0.5, 7).filter(Boolean)).toHaveLength(3);
  });
  it('drops none at 0 and all at 1', () => {
    expect(dropsOf(0, 50).some(Boolean)).toBe(false);
    expect(dropsOf(1, 50).every(Boolean)).toBe(true);
  });
  it('refuses a share outside 0..1', () => {
    for (const share of [-0.1, 1.5, Number.NaN]) expect(() => new ReceiptDropper(share)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
