import { describe, expect, it } from 'vitest';
import { parseSender, TON } from './sender.js';

describe('parseSender: the TON from the form', () => {
  it.each([
    ['COOKPAD', 'COOKPAD', TON.alphanumeric],
    ['Shop 24', 'Shop 24', TON.alphanumeric],
    ['A-B.C_D&E1', 'A-B.C_D&E1', TON.alphanumeric],
    ['10690', '10690', TON.shortCode],
    ['12345678', '12345678', TON.shortCode],
    ['+8613800138000', '8613800138000', TON.international],
  ])('%s goes out as %s with TON %i', (text, addr, ton) => {
    expect(parseSender(text)).toMatchObject({ addr, ton });
  });

  it.each(['', 'TWELVECHARSX', '123456789', '12', '+123', '+1234567890123456', 'Ünïcode', 'a\nb', ' COOKPAD', 'with!'])('refuses %j', (text) => {
    expect(() => parseSender(text)).toThrow(/sender .* is invalid/);
  });
});
