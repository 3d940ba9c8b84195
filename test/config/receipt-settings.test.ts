import { expect, it } from 'vitest';
import { simulatorOptionsFromConfig } from '../../src/carrier/simulator/simulator-env.js';
import { loadConfig } from '../../src/config/config.js';
import { isGatewayError } from '../../src/domain/errors.js';

it('reads the simulator and receipt settings and hands the simulator its options', () => {
  const config = loadConfig({
    SMSGATE_SIM_ID_STYLE: 'dec-in-answer-hex-in-receipt',
    SMSGATE_SIM_FIRST_ID: '1',
    SMSGATE_SIM_DROP_RECEIPTS: '0.3',
    SMSGATE_SIM_QUERY_SM: 'generic_nack',
    SMSGATE_RECEIPT_HOLD_MS: '2500',
    SMSGATE_RECEIPT_QUERY_AFTER_S: '30',
  });
  expect(simulatorOptionsFromConfig(config, 0)).toMatchObject({ idStyle: 'dec-in-answer-hex-in-receipt', firstMessageId: 1, dropReceipts: 0.3, querySm: 'generic_nack' });
  expect(config).toMatchObject({ receiptHoldMs: 2500, receiptQueryAfterS: 30 });
  const defaults = loadConfig({});
  expect(simulatorOptionsFromConfig(defaults, 0)).toMatchObject({ idStyle: 'hex', firstMessageId: undefined, dropReceipts: 0, querySm: 'answer' });
  expect(defaults).toMatchObject({ receiptHoldMs: 10_000, receiptQueryAfterS: 600 });
});

it('refuses a share of dropped receipts outside 0 to 1, naming the variable', () => {
  for (const bad of ['1.5', '-0.1', 'most', '30%']) {
    let error: unknown;
    try {
      loadConfig({ SMSGATE_SIM_DROP_RECEIPTS: bad });
    } catch (caught) {
      error = caught;
    }
    expect(isGatewayError(error) && error.code, bad).toBe('INVALID_CONFIG');
    expect(String((error as Error).message)).toContain('SMSGATE_SIM_DROP_RECEIPTS');
  }
});
