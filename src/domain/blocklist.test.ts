import { describe, expect, it } from 'vitest';
import { Blocklist, validateBlockedPrefix } from './blocklist.js';

describe('Blocklist', () => {
  const list = new Blocklist([
    { entry: '+88213', clientId: null },
    { entry: '+8613800138000', clientId: null },
    { entry: '+44740', clientId: 'shop' },
  ]);

  it('blocks a number on the list and every number under a prefix, for everyone', () => {
    expect(list.blocking('+8613800138000', 'any')).toEqual({ entry: '+8613800138000', clientId: null });
    expect(list.blocking('+882131234567', 'any')).toEqual({ entry: '+88213', clientId: null });
    expect(list.blocking('+8613800138001', 'any')).toBeUndefined();
    expect(list.blocking('+8821', 'any')).toBeUndefined();
  });

  it("blocks a client's entries for that client only", () => {
    expect(list.blocking('+447400123456', 'shop')).toEqual({ entry: '+44740', clientId: 'shop' });
    expect(list.blocking('+447400123456', 'other')).toBeUndefined();
  });

  it('checks 100,000 entries by a few lookups, not a scan', () => {
    const big = new Blocklist(Array.from({ length: 100_000 }, (_, i) => ({ entry: `+86139${String(i).padStart(8, '0')}`, clientId: null })));
    expect(big.blocking('+8613900099999', 'x')).toEqual({ entry: '+8613900099999', clientId: null });
    expect(big.blocking('+8613900100000', 'x')).toBeUndefined();
  });

  it('takes + and 1 to 15 digits as an entry', () => {
    expect(validateBlockedPrefix('+88213')).toBe('+88213');
    for (const bad of ['88213', '+', '+1234567890123456', '+88 213', 'abc']) expect(() => validateBlockedPrefix(bad)).toThrow(/invalid/);
  });
});
