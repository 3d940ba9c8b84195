import type { Config } from '../config/config.js';
import type { SendWindow } from '../domain/send-windows.js';

/** SMSGATE_PER_NUMBER_LIMITS when set, else the one window SMSGATE_PER_NUMBER_INTERVAL_S names. */
export function numberWindowsOf(config: Pick<Config, 'perNumberLimits' | 'perNumberIntervalS'>): SendWindow[] {
  if (config.perNumberLimits) return [...config.perNumberLimits];
  const s = config.perNumberIntervalS;
  return s > 0 ? [{ limit: 1, ms: s * 1000, label: `1/${s}s` }] : [];
}
