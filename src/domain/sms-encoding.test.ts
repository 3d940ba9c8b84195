import { describe, expect, it } from 'vitest';
import { chooseEncoding, encodeSms, isGsm7 } from './sms-encoding.js';

const countParts = (text: string): number => encodeSms(text, 0).parts.length;

const UDH_LENGTH = 6;

describe('encoding choice', () => {
  it('keeps GSM text (including extension characters) in GSM 7-bit', () => {
    expect(isGsm7('Your code is 123456. Ça coûte 5€ {ok} [x] ~ ^ | \\')).toBe(false); // û is not GSM
    expect(isGsm7('Your code is 123456. Ça va? 5€ {ok} [x] ~ ^ | \\ @£$¥ ÄÖÑÜ§¿äöñüà')).toBe(true);
    expect(chooseEncoding('Hello')).toBe('gsm7');
  });

  it('falls back to UCS-2 for anything outside the alphabet', () => {
    expect(chooseEncoding('验证码 123456')).toBe('ucs2');
    expect(chooseEncoding('code 😀')).toBe('ucs2');
    expect(chooseEncoding('\u001b')).toBe('ucs2'); // a bare escape is not a character
  });
});

describe('GSM 7-bit', () => {
  it('encodes one septet per octet, extension characters as ESC + code', () => {
    const sms = encodeSms('@A€{', 0);
    expect(sms.dataCoding).toBe(0);
    expect([...sms.parts[0]!.shortMessage]).toEqual([0x00, 0x41, 0x1b, 0x65, 0x1b, 0x28]);
  });

  it('fits 160 septets in one part; extension characters count double', () => {
    expect(countParts('a'.repeat(160))).toBe(1);
    expect(countParts('a'.repeat(161))).toBe(2);
    expect(countParts('€'.repeat(80))).toBe(1);
    expect(countParts('a' + '€'.repeat(80))).toBe(2);
  });

  it('splits at 153 septets with a concatenation UDH', () => {
    const sms = encodeSms('x'.repeat(153 * 2 + 1), 0x2a);
    expect(sms.parts).toHaveLength(3);
    sms.parts.forEach((part, i) => {
      expect(part.hasUdh).toBe(true);
      expect([...part.shortMessage.subarray(0, UDH_LENGTH)]).toEqual([5, 0, 3, 0x2a, 3, i + 1]);
    });
    expect(sms.parts.map((p) => p.shortMessage.length - UDH_LENGTH)).toEqual([153, 153, 1]);
  });

  it('never splits an escape sequence', () => {
    const sms = encodeSms('a'.repeat(152) + '€' + 'b'.repeat(10), 1);
    const first = sms.parts[0]!.shortMessage.subarray(UDH_LENGTH);
    expect(first.length).toBe(152);
    expect(first[first.length - 1]).not.toBe(0x1b);
    expect([...sms.parts[1]!.shortMessage.subarray(UDH_LENGTH, UDH_LENGTH + 2)]).toEqual([0x1b, 0x65]);
  });
});

describe('UCS-2', () => {
  it('encodes UTF-16 big-endian with data_coding 8', () => {
    const sms = encodeSms('验', 0);
    expect(sms.dataCoding).toBe(8);
    expect([...sms.parts[0]!.shortMessage]).toEqual([0x9a, 0x8c]);
  });

  it('fits 70 code units in one part and splits at 67', () => {
    expect(countParts('验'.repeat(70))).toBe(1);
    const sms = encodeSms('验'.repeat(67 * 2 + 1), 0);
    expect(sms.parts.map((p) => (p.shortMessage.length - UDH_LENGTH) / 2)).toEqual([67, 67, 1]);
  });

  it('never splits a surrogate pair', () => {
    const sms = encodeSms('验'.repeat(66) + '😀' + '验'.repeat(10), 0);
    expect((sms.parts[0]!.shortMessage.length - UDH_LENGTH) / 2).toBe(66);
    const second = sms.parts[1]!.shortMessage.subarray(UDH_LENGTH);
    expect(second.subarray(0, 4).swap16().toString('utf16le')).toBe('😀');
  });

  it('refuses a text of more than 255 parts', () => {
    expect(() => encodeSms('验'.repeat(67 * 255 + 1), 0)).toThrow(RangeError);
  });
});
