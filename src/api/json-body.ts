import { GatewayError } from '../domain/errors.js';

/** Fatal: a byte sequence that is not UTF-8 is an error, not a U+FFFD in the message. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * A request body as JSON, whatever its Content-Type says. JSON is UTF-8 (RFC 8259): bytes that
 * are not would otherwise be replaced and reach the phone as text the caller never sent.
 */
export function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    throw new GatewayError('INVALID_REQUEST', 'the request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError('INVALID_REQUEST', 'the request body is not valid JSON');
  }
}
