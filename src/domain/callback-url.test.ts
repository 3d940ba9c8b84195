import { describe, expect, it } from 'vitest';
import { literalAddress, parseCallbackUrl, refusedAddressRange } from './callback-url.js';
import { GatewayError } from './errors.js';

function refusal(raw: string): string {
  try {
    parseCallbackUrl(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('CALLBACK_URL_REFUSED');
    return (error as GatewayError).message;
  }
  throw new Error(`${raw} was accepted`);
}

describe('parseCallbackUrl', () => {
  it.each(['https://hooks.example.com/sms', 'http://203.0.114.7:8080/cb?x=1', 'https://[2606:4700::1111]/cb'])('accepts %s', (raw) => {
    expect(parseCallbackUrl(raw).href).toBe(new URL(raw).href);
  });

  it.each([
    ['ftp://example.com/x', 'scheme ftp:'],
    ['file:///etc/passwd', 'scheme file:'],
    ['javascript:alert(1)', 'scheme javascript:'],
    ['not a url', 'not a URL'],
    ['', 'empty'],
    ['https://user:pw@example.com/', 'user or password'],
    ['https://user@example.com/', 'user or password'],
    [`https://example.com/${'a'.repeat(2100)}`, 'longer than'],
  ])('refuses %s naming why', (raw, why) => {
    expect(refusal(raw)).toContain(why);
  });
});

describe('refusedAddressRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['224.0.0.1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['192.0.2.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'ipv4Mapped loopback'],
    ['::ffff:10.0.0.1', 'ipv4Mapped private'],
    ['::ffff:7f00:1', 'ipv4Mapped loopback'],
    ['2002:c0a8:0101::1', '6to4 private'],
    ['64:ff9b::a9fe:a9fe', 'rfc6052 linkLocal'],
  ])('refuses %s as %s', (address, range) => {
    expect(refusedAddressRange(address)).toBe(range);
  });

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700::1111', '::ffff:8.8.8.8', '2002:0808:0808::1'])('allows public %s', (address) => {
    expect(refusedAddressRange(address)).toBeUndefined();
  });

  it('refuses what is not an address', () => {
    expect(refusedAddressRange('example.com')).toBe('invalid');
  });
});

describe('literalAddress', () => {
  it('reads IPv4 (in any form the URL parser normalises) and bracketed IPv6 hosts, not names', () => {
    expect(literalAddress(new URL('http://2130706433/'))).toBe('127.0.0.1');
    expect(literalAddress(new URL('http://0x7f.1/'))).toBe('127.0.0.1');
    expect(literalAddress(new URL('http://[::1]:8080/'))).toBe('::1');
    expect(literalAddress(new URL('http://example.com/'))).toBeUndefined();
  });
});
