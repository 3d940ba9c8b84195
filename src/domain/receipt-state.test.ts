import { describe, expect, it } from 'vitest';
import { combinePartStatuses, partsOutcome, statusForReceiptState } from './receipt-state.js';

describe('statusForReceiptState', () => {
  it.each([
    ['DELIVRD', 'delivered'],
    ['UNDELIV', 'error_undeliverable'],
    ['EXPIRED', 'error_expired'],
    ['REJECTD', 'error_rejected'],
    ['DELETED', 'error_unknown'],
    ['UNKNOWN', 'error_unknown'],
    ['ENROUTE', 'sent'],
    ['ACCEPTD', 'sent'],
    [' delivrd ', 'delivered'],
    ['GARBAGE', 'error_unknown'],
    ['', 'error_unknown'],
  ])('%j means %s', (state, status) => {
    expect(statusForReceiptState(state)).toBe(status);
  });

  it('is not fooled by Object.prototype keys', () => {
    expect(statusForReceiptState('constructor')).toBe('error_unknown');
    expect(statusForReceiptState('__proto__')).toBe('error_unknown');
  });
});

describe('combinePartStatuses', () => {
  it('is delivered only when every part is', () => {
    expect(combinePartStatuses(['delivered'])).toBe('delivered');
    expect(combinePartStatuses(['delivered', 'delivered', 'delivered'])).toBe('delivered');
    expect(combinePartStatuses(['delivered', 'sent'])).toBe('sent');
  });
  it('fails as soon as any part failed', () => {
    expect(combinePartStatuses(['delivered', 'error_expired'])).toBe('error_expired');
    expect(combinePartStatuses(['sent', 'error_undeliverable', 'delivered'])).toBe('error_undeliverable');
  });
  it('is sent while parts are under way, queuing if one is still queued, sent for no parts', () => {
    expect(combinePartStatuses(['sent', 'sent'])).toBe('sent');
    expect(combinePartStatuses(['sent', 'queuing'])).toBe('queuing');
    expect(combinePartStatuses([])).toBe('sent');
  });
});

describe('partsOutcome', () => {
  it('carries the error code of the first part in the failed status, and "0" otherwise', () => {
    expect(partsOutcome([{ status: 'delivered', errorCode: '0' }, { status: 'error_undeliverable', errorCode: '5' }])).toEqual({
      status: 'error_undeliverable',
      errorCode: '5',
    });
    expect(partsOutcome([{ status: 'delivered', errorCode: '7' }, { status: 'delivered', errorCode: '0' }])).toEqual({ status: 'delivered', errorCode: '0' });
    expect(partsOutcome([{ status: 'sent', errorCode: '0' }])).toEqual({ status: 'sent', errorCode: '0' });
  });
});
