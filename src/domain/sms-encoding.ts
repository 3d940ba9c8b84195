/**
 * How a text goes on the air: GSM 03.38 7-bit when every character is in the GSM alphabet,
 * UCS-2 otherwise, split into concatenated parts with a UDH when it does not fit one SMS.
 * SMPP carries GSM text unpacked (one septet per octet, data_coding 0); the SMSC packs it.
 */
export type SmsEncoding = 'gsm7' | 'ucs2';

export const DATA_CODING: Record<SmsEncoding, number> = { gsm7: 0x00, ucs2: 0x08 };

/** Septets / UTF-16 code units: in a single SMS, and per part when a 6-octet UDH is present. */
const LIMITS: Record<SmsEncoding, { single: number; part: number }> = {
  gsm7: { single: 160, part: 153 },
  ucs2: { single: 70, part: 67 },
};

/** The concatenation IE (00 03 ref total seq) names the part count in one octet. */
export const MAX_PARTS = 255;

// Index = septet. 0x1B is the escape to the extension table, never a character of its own.
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION: Record<string, number> = {
  '\f': 0x0a,
  '^': 0x14,
  '{': 0x28,
  '}': 0x29,
  '\\': 0x2f,
  '[': 0x3c,
  '~': 0x3d,
  ']': 0x3e,
  '|': 0x40,
  '€': 0x65,
};
const ESCAPE = 0x1b;

const BASIC_SEPTET = new Map<string, number>();
for (let i = 0; i < BASIC.length; i += 1) if (i !== ESCAPE) BASIC_SEPTET.set(BASIC[i]!, i);

/** The septets of one character: one for the basic table, two (ESC + code) for the extension. */
function gsmSeptets(char: string): number[] | undefined {
  const basic = BASIC_SEPTET.get(char);
  if (basic !== undefined) return [basic];
  const ext = EXTENSION[char];
  return ext === undefined ? undefined : [ESCAPE, ext];
}

export function isGsm7(text: string): boolean {
  for (const char of text) if (!gsmSeptets(char)) return false;
  return true;
}

export function chooseEncoding(text: string): SmsEncoding {
  return isGsm7(text) ? 'gsm7' : 'ucs2';
}

/**
 * The text as units that must not be split across parts: a GSM character with its escape, or a
 * UTF-16 surrogate pair. Iterating a string by code point keeps pairs together.
 */
function units(text: string, encoding: SmsEncoding): Buffer[] {
  const out: Buffer[] = [];
  for (const char of text) {
    out.push(encoding === 'gsm7' ? Buffer.from(gsmSeptets(char)!) : Buffer.from(char, 'utf16le').swap16());
  }
  return out;
}

/** Size of a unit in the part budget: septets for GSM, code units for UCS-2. */
function unitSize(unit: Buffer, encoding: SmsEncoding): number {
  return encoding === 'gsm7' ? unit.length : unit.length / 2;
}

export interface SmsPart {
  /** UDH (if any) followed by the encoded text: the SMPP short_message octets. */
  readonly shortMessage: Buffer;
  readonly hasUdh: boolean;
}

export interface EncodedSms {
  readonly encoding: SmsEncoding;
  readonly dataCoding: number;
  readonly parts: readonly SmsPart[];
}

/**
 * Encodes and, when longer than one SMS, splits the text. `reference` is the concatenation
 * reference number shared by the parts (0-255); the handset reassembles by it.
 */
export function encodeSms(text: string, reference: number): EncodedSms {
  const encoding = chooseEncoding(text);
  const all = units(text, encoding);
  const total = all.reduce((n, u) => n + unitSize(u, encoding), 0);
  const limit = LIMITS[encoding];
  const dataCoding = DATA_CODING[encoding];
  if (total <= limit.single) {
    return { encoding, dataCoding, parts: [{ shortMessage: Buffer.concat(all), hasUdh: false }] };
  }
  const chunks: Buffer[][] = [[]];
  let size = 0;
  for (const unit of all) {
    const n = unitSize(unit, encoding);
    if (size + n > limit.part) {
      chunks.push([]);
      size = 0;
    }
    chunks[chunks.length - 1]!.push(unit);
    size += n;
  }
  if (chunks.length > MAX_PARTS) {
    throw new RangeError(`text needs ${chunks.length} parts, more than ${MAX_PARTS}`);
  }
  const ref = reference & 0xff;
  const parts = chunks.map((chunk, i) => ({
    shortMessage: Buffer.concat([Buffer.from([0x05, 0x00, 0x03, ref, chunks.length, i + 1]), ...chunk]),
    hasUdh: true,
  }));
  return { encoding, dataCoding, parts };
}
