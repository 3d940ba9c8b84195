import { describe, expect, it } from 'vitest';
import { readTrustProxy } from './trust-proxy.js';

const read = (value: string | undefined) => readTrustProxy({ SMSGATE_TRUST_PROXY: value }, 'SMSGATE_TRUST_PROXY');

describe('SMSGATE_TRUST_PROXY', () => {
  it('is off unless set', () => {
    expect(read(undefined)).toBe(false);
    expect(read('')).toBe(false);
    expect(read('off')).toBe(false);
    expect(read('false')).toBe(false);
  });

  it('takes true, a hop count, or addresses and ranges', () => {
    expect(read('true')).toBe(true);
    expect(read('2')).toBe(2);
    expect(read('127.0.0.1')).toEqual(['127.0.0.1']);
    expect(read(' 10.0.0.1, 192.168.0.0/16 ,::1,fd00::/8,loopback')).toEqual(['10.0.0.1', '192.168.0.0/16', '::1', 'fd00::/8', 'loopback']);
  });

  it.each(['0', '11', 'yes', '10.0.0', '10.0.0.1/33', '::1/129', '10.0.0.1/8/1', '10.0.0.1,', 'proxy.example.com'])('refuses %j, naming the variable', (value) => {
    expect(() => read(value)).toThrow(/SMSGATE_TRUST_PROXY=.* is invalid/);
  });
});
