import { describe, expect, it } from 'vitest';
import { NO_CLIENT_LIMITS, normaliseClientLimits, readClientLimits } from './client-limits.js';

describe('client limits', () => {
  it('normalises what an operator writes, and reads it for the send path', () => {
    const stored = normaliseClientLimits({ rate: '200/S', dailyQuota: 100_000, countries: 'cn, HK,SG,CN', countryCap: '500/1h', sender: 'COOKPAD' });
    expect(stored).toEqual({ rate: '200/s', dailyQuota: 100_000, countries: 'CN,HK,SG', countryCap: '500/1h', sender: 'COOKPAD' });
    const read = readClientLimits(stored);
    expect(read.rate).toEqual({ limit: 200, ms: 1_000, label: '200/s' });
    expect([...read.countries!]).toEqual(['CN', 'HK', 'SG']);
    expect(read.sender).toEqual({ addr: 'COOKPAD', ton: 5, npi: 0 });
    expect(readClientLimits(NO_CLIENT_LIMITS)).toEqual({ rate: undefined, dailyQuota: undefined, countries: undefined, countryCap: undefined, sender: undefined });
  });

  it.each([
    [{ rate: '1/1w' }, /rate "1\/1w" is invalid/],
    [{ dailyQuota: 0 }, /daily quota "0" is invalid/],
    [{ dailyQuota: Number.NaN }, /daily quota "NaN" is invalid/],
    [{ countries: 'CN,XX' }, /country "XX" is invalid/],
    [{ countries: 'China' }, /country "CHINA" is invalid/],
    [{ countryCap: '500' }, /country cap "500" is invalid/],
    [{ sender: 'THIS IS TOO LONG' }, /sender .* is invalid/],
  ])('refuses %j', (change, message) => {
    expect(() => normaliseClientLimits({ ...NO_CLIENT_LIMITS, ...change })).toThrow(message);
  });
});
