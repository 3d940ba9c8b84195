import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { numberWindowsOf } from '../../src/limits/number-windows.js';

describe('per-number windows', () => {
  it('SMSGATE_PER_NUMBER_LIMITS replaces SMSGATE_PER_NUMBER_INTERVAL_S; unset, the interval is the one window', () => {
    expect(numberWindowsOf(loadConfig({ SMSGATE_PER_NUMBER_LIMITS: '1/60s,5/1h,10/24h', SMSGATE_PER_NUMBER_INTERVAL_S: '5' })).map((w) => w.label)).toEqual(['1/60s', '5/1h', '10/24h']);
    expect(numberWindowsOf(loadConfig({}))).toEqual([{ limit: 1, ms: 60_000, label: '1/60s' }]);
    expect(numberWindowsOf(loadConfig({ SMSGATE_PER_NUMBER_INTERVAL_S: '0' }))).toEqual([]);
    expect(numberWindowsOf(loadConfig({ SMSGATE_PER_NUMBER_LIMITS: 'none' }))).toEqual([]);
  });
});

