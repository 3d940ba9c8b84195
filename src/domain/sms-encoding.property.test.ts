import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSms } from './sms-encoding.js';

/**
 * The encoder as it was before the single-pass rewrite (one Buffer per character), kept as the
 * reference the new one must match octet for octet.
 */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION: Record<string, number> = { '\f': 0x0a, '^': 0x14, '{': 0x28, '}': 0x29, '\\': 0x2f, '[': 0x3c, '~': 0x3d, ']': 0x3e, '|': 0x40, '€': 0x65 };
const BASIC_SEPTET = new Map<string, number>();
for (let i = 0; i < BASIC.length; i += 1) if (i !== 0x1b) BASIC_SEPTET.set(BASIC[i]!, i);

function referenceEncode(text: string, reference: number): { dataCoding: number; parts: Buffer[] } {
  const septets = (char: string): number[] | undefined => {
    const basic = BASIC_SEPTET.get(char);
    if (basic !== undefined) return [basic];
    const ext = EXTENSION[char];
    return ext === undefined ? undefined : [0x1b, ext];
  };
  const gsm = [...text].every((c) => septets(c));
  const units = [...text].map((c) => (gsm ? Buffer.from(septets(c)!) : Buffer.from(c, 'utf16le').swap16()));
  const size = (u: Buffer): number => (gsm ? u.length : u.length / 2);
  const [single, part] = gsm ? [160, 153] : [70, 67];
  const dataCoding = gsm ? 0 : 8;
  if (units.reduce((n, u) => n + size(u), 0) <= single) return { dataCoding, parts: [Buffer.concat(units)] };
  const chunks: Buffer[][] = [[]];
  let filled = 0;
  for (const unit of units) {
    if (filled + size(unit) > part) {
      chunks.push([]);
      filled = 0;
    }
    chunks[chunks.length - 1]!.push(unit);
    filled += size(unit);
  }
  if (chunks.length > 255) throw new RangeError('too long');
  return { dataCoding, parts: chunks.map((c, i) => Buffer.concat([Buffer.from([5, 0, 3, reference & 0xff, chunks.length, i + 1]), ...c])) };
}

const gsmChar = fc.constantFrom(...[...BASIC].filter((c) => c !== '\u001b'), ...Object.keys(EXTENSION));
/** Mostly GSM, with a few characters from anywhere (astral ones, lone surrogates, ESC) mixed in. */
const anyChar = fc.oneof(
  { weight: 6, arbitrary: gsmChar },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\ud83d', '\ude00', '\u001b', '😀', '验') },
);

function expectSameAsReference(text: string, reference: number): void {
  let expected: ReturnType<typeof referenceEncode> | Error;
  try {
    expected = referenceEncode(text, reference);
  } catch (error) {
    expected = error as Error;
  }
  if (expected instanceof Error) {
    expect(() => encodeSms(text, reference)).toThrow(RangeError);
    return;
  }
  const actual = encodeSms(text, reference);
  expect(actual.dataCoding).toBe(expected.dataCoding);
  expect(actual.parts.map((p) => p.shortMessage.toString('hex'))).toEqual(expected.parts.map((p) => p.toString('hex')));
  expect(actual.parts.every((p) => p.hasUdh === expected.parts.length > 1)).toBe(true);
}

describe('single-pass encoder: the same octets as the per-character one', () => {
  it('GSM text, with extension characters, of any length up to many parts', () => {
    fc.assert(
      fc.property(fc.array(gsmChar, { maxLength: 700 }), fc.integer({ min: 0, max: 1000 }), (chars, ref) => expectSameAsReference(chars.join(''), ref)),
      { numRuns: 500 },
    );
  });

  it('mixed text (UCS-2, surrogate pairs, lone surrogates), around the part boundaries', () => {
    fc.assert(
      fc.property(fc.array(anyChar, { minLength: 60, maxLength: 300 }), fc.integer({ min: 0, max: 255 }), (chars, ref) => expectSameAsReference(chars.join(''), ref)),
      { numRuns: 500 },
    );
  });

  it('texts too long for 255 parts are refused by both', () => {
    expectSameAsReference('a'.repeat(153 * 255), 1);
    expectSameAsReference('a'.repeat(153 * 255 + 1), 1);
    expectSameAsReference('验'.repeat(67 * 255 + 1), 1);
  });
});
