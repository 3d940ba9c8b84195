import { createHash } from 'node:crypto';
import { GatewayError } from './errors.js';
import { flattenContents } from './template.js';

/** The header a client names a send by, so that sending it again after a timeout is safe. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

// Printable ASCII, space included; nothing a log line or a header could be split with.
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * The key as the header gave it, checked: 1 to 255 printable ASCII characters. Node gives a
 * header sent twice as one value joined by ", ", which is a key like any other.
 */
export function parseIdempotencyKey(value: string | string[]): string {
  const key = Array.isArray(value) ? value.join(', ') : value;
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !PRINTABLE_ASCII.test(key)) {
    throw new GatewayError('INVALID_REQUEST', `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters`);
  }
  return key;
}

/** The parts of a send that say what it is: everything in its body but the passcode, parsed. */
export interface SendFingerprintInput {
  readonly clientId: string;
  /** E.164, so that two spellings of one number are one send. */
  readonly phoneNumber: string;
  readonly templetId: string;
  readonly contents: unknown;
}

/**
 * A hash that two requests share exactly when they ask for the same send: the phone number
 * normalised, contents as the values they give (form, key order and JSON spacing aside).
 */
export function sendFingerprint(input: SendFingerprintInput): string {
  const canonical = JSON.stringify([input.clientId, input.phoneNumber, input.templetId, canonicalValue(flattenContents(input.contents))]);
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Objects with their keys sorted, at every depth, so that key order does not change the hash. */
function canonicalValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value).sort()) sorted[key] = canonicalValue((value as Record<string, unknown>)[key]);
  return sorted;
}
