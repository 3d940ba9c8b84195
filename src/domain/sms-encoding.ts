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
/** The concatenation UDH: 05 00 03 ref total seq. */
const UDH_LENGTH = 6;

/**
 * Septets by UTF-16 code unit, for one pass over a text without a lookup object per character:
 * -1 outside the alphabet, the septet for the basic table, EXT_FLAG | code for the extension.
 * The highest GSM character is the euro sign (U+20AC).
 */
const EXT_FLAG = 0x100;
const SEPTET = new Int16Array(0x20ad).fill(-1);
for (let i = 0; i < BASIC.length; i += 1) if (i !== ESCAPE) SEPTET[BASIC.charCodeAt(i)] = i;
for (const [char, code] of Object.entries(EXTENSION)) SEPTET[char.charCodeAt(0)] = EXT_FLAG | code;

function septetOf(codeUnit: number): number {
  return codeUnit < SEPTET.length ? SEPTET[codeUnit]! : -1;
}

/** Septets the text takes in GSM 7-bit (extension characters two), or -1 if it is not GSM text. */
function gsmLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    const septet = septetOf(text.charCodeAt(i));
    if (septet < 0) return -1;
    n += septet & EXT_FLAG ? 2 : 1;
  }
  return n;
}

export function isGsm7(text: string): boolean {
  return gsmLength(text) >= 0;
}

export function chooseEncoding(text: string): SmsEncoding {
  return isGsm7(text) ? 'gsm7' : 'ucs2';
}

/** Character code by septet, for decoding; the escape decodes to itself when no extension code follows. */
const CHAR_OF_SEPTET = Array.from(BASIC, (c) => c.charCodeAt(0));
const CHAR_OF_EXTENSION = new Map(Object.entries(EXTENSION).map(([char, code]) => [code, char.charCodeAt(0)]));
const SPACE = 0x20;
const UNKNOWN_SEPTET = 0x00;

/**
 * GSM 7-bit text, one septet per octet (octets `from` to `to` of `octets`), read as the `smpp`
 * package reads data_coding 0: ESC + code is an extension character, an ESC before anything
 * else stays an ESC, and an octet above 0x7F (not a septet) reads as a space.
 */
export function decodeGsm7(octets: Uint8Array, from = 0, to = octets.length): string {
  const codes: number[] = [];
  for (let i = from; i < to; i += 1) {
    const septet = octets[i]!;
    if (septet === ESCAPE && i + 1 < to) {
      const ext = CHAR_OF_EXTENSION.get(octets[i + 1]!);
      if (ext !== undefined) {
        codes.push(ext);
        i += 1;
        continue;
      }
    }
    codes.push(septet < 0x80 ? CHAR_OF_SEPTET[septet]! : SPACE);
  }
  return String.fromCharCode(...codes);
}

/**
 * Text as GSM 7-bit octets, as the `smpp` package writes a string with data_coding 0 (receipt
 * texts): a character outside the alphabet becomes septet 0 ('@': the package means a space but
 * writes 0), an ESC character stays ESC.
 */
export function encodeGsm7Lossy(text: string): Buffer {
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    const septet = septetOf(text.charCodeAt(i));
    n += septet >= 0 && septet & EXT_FLAG ? 2 : 1;
  }
  const out = Buffer.allocUnsafe(n);
  let o = 0;
  for (let i = 0; i < text.length; i += 1) {
    const u = text.charCodeAt(i);
    const septet = septetOf(u);
    if (septet < 0) out[o++] = u === ESCAPE ? ESCAPE : UNKNOWN_SEPTET;
    else if (septet & EXT_FLAG) {
      out[o++] = ESCAPE;
      out[o++] = septet & 0x7f;
    } else out[o++] = septet;
  }
  return out;
}

const isHigh = (u: number): boolean => u >= 0xd800 && u <= 0xdbff;
const isLow = (u: number): boolean => u >= 0xdc00 && u <= 0xdfff;

/**
 * Budget size of the unit (a character that must not be split across parts) starting at code
 * unit `i`: septets for GSM (ESC + code is two), code units for UCS-2 (a surrogate pair is two).
 * It is also how many octets (GSM) or code units (UCS-2) the unit spans in the output / text.
 */
function unitSize(text: string, i: number, encoding: SmsEncoding): number {
  const u = text.charCodeAt(i);
  if (encoding === 'gsm7') return septetOf(u) & EXT_FLAG ? 2 : 1;
  return isHigh(u) && i + 1 < text.length && isLow(text.charCodeAt(i + 1)) ? 2 : 1;
}

/** Writes text[from, to) into `out` at `at`; returns the offset after it. */
function write(text: string, from: number, to: number, encoding: SmsEncoding, out: Buffer, at: number): number {
  let o = at;
  for (let i = from; i < to; i += 1) {
    const u = text.charCodeAt(i);
    if (encoding === 'ucs2') {
      out[o] = u >>> 8;
      out[o + 1] = u & 0xff;
      o += 2;
      continue;
    }
    const septet = SEPTET[u]!;
    if (septet & EXT_FLAG) {
      out[o] = ESCAPE;
      out[o + 1] = septet & 0x7f;
      o += 2;
    } else {
      out[o] = septet;
      o += 1;
    }
  }
  return o;
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
  const septets = gsmLength(text);
  const encoding: SmsEncoding = septets >= 0 ? 'gsm7' : 'ucs2';
  const total = septets >= 0 ? septets : text.length;
  const octetsPerUnit = encoding === 'gsm7' ? 1 : 2;
  const limit = LIMITS[encoding];
  const dataCoding = DATA_CODING[encoding];
  if (total <= limit.single) {
    const shortMessage = Buffer.allocUnsafe(total * octetsPerUnit);
    write(text, 0, text.length, encoding, shortMessage, 0);
    return { encoding, dataCoding, parts: [{ shortMessage, hasUdh: false }] };
  }
  // Part boundaries first (code unit offsets, and each part's size), so the count is in the UDH.
  const starts: number[] = [0];
  const sizes: number[] = [];
  let size = 0;
  for (let i = 0; i < text.length; ) {
    const n = unitSize(text, i, encoding);
    if (size + n > limit.part) {
      starts.push(i);
      sizes.push(size);
      size = 0;
    }
    size += n;
    i += encoding === 'gsm7' ? 1 : n;
  }
  sizes.push(size);
  const count = starts.length;
  if (count > MAX_PARTS) throw new RangeError(`text needs ${count} parts, more than ${MAX_PARTS}`);
  const ref = reference & 0xff;
  const parts: SmsPart[] = [];
  for (let p = 0; p < count; p += 1) {
    const shortMessage = Buffer.allocUnsafe(UDH_LENGTH + sizes[p]! * octetsPerUnit);
    shortMessage[0] = 0x05;
    shortMessage[1] = 0x00;
    shortMessage[2] = 0x03;
    shortMessage[3] = ref;
    shortMessage[4] = count;
    shortMessage[5] = p + 1;
    write(text, starts[p]!, p + 1 < count ? starts[p + 1]! : text.length, encoding, shortMessage, UDH_LENGTH);
    parts.push({ shortMessage, hasUdh: true });
  }
  return { encoding, dataCoding, parts };
}
