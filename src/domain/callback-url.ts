import ipaddr from 'ipaddr.js';
import { GatewayError } from './errors.js';

/** Long enough for any real receiver; a longer one is a mistake or an attack on our logs. */
export const CALLBACK_URL_MAX_LENGTH = 2048;

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:']);

/**
 * Ranges a callback may not reach unless SMSGATE_CALLBACK_ALLOW_PRIVATE: what is inside the
 * gateway's own network, or not a single host. ipaddr.js names the range an address falls in.
 */
const REFUSED_IPV4_RANGES = new Set(['unspecified', 'broadcast', 'multicast', 'linkLocal', 'loopback', 'carrierGradeNat', 'private', 'reserved']);
const REFUSED_IPV6_RANGES = new Set([
  'unspecified',
  'linkLocal',
  'multicast',
  'loopback',
  'uniqueLocal',
  'deprecatedSiteLocal',
  'discard',
  'benchmarking',
  'reserved',
]);

function refused(message: string): GatewayError {
  return new GatewayError('CALLBACK_URL_REFUSED', message);
}

/**
 * A callback URL as given by an operator: only http: and https:, no user:password (a receiver
 * authenticates us by the signature, and credentials in a URL end up in logs). Throws
 * GatewayError CALLBACK_URL_REFUSED naming why.
 */
export function parseCallbackUrl(raw: string): URL {
  if (raw.length === 0) throw refused('the callback URL is empty');
  if (raw.length > CALLBACK_URL_MAX_LENGTH) throw refused(`the callback URL is longer than ${CALLBACK_URL_MAX_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused('the callback URL is not a URL: expected http(s)://host[:port]/path');
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) throw refused(`the callback URL's scheme ${url.protocol} is refused: only http: and https:`);
  if (url.username !== '' || url.password !== '') throw refused('the callback URL may not carry a user or password: receivers check the signature');
  if (url.hostname === '') throw refused('the callback URL has no host');
  return url;
}

/** The host of a parsed URL as an IP address, when it is one (IPv6 without its brackets). */
export function literalAddress(url: URL): string | undefined {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return ipaddr.isValid(host) ? host : undefined;
}

/** IPv6 forms that carry an IPv4 address: what they reach is that IPv4 address. */
function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const range = address.range();
  const bytes = address.toByteArray();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || range === 'rfc6052') return new ipaddr.IPv4(bytes.slice(12, 16));
  if (range === '6to4') return new ipaddr.IPv4(bytes.slice(2, 6));
  return undefined;
}

/**
 * Why a callback may not go to `address` (the name of its range, e.g. `loopback`, `private`), or
 * undefined when it may. An address that is not an IP address is refused as `invalid`.
 */
export function refusedAddressRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'invalid';
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') {
    const range = parsed.range();
    return REFUSED_IPV4_RANGES.has(range) ? range : undefined;
  }
  const v6 = parsed as ipaddr.IPv6;
  const v4 = embeddedIpv4(v6);
  if (v4 !== undefined) {
    const inner = v4.range();
    return REFUSED_IPV4_RANGES.has(inner) ? `${v6.range()} ${inner}` : undefined;
  }
  const range = v6.range();
  return REFUSED_IPV6_RANGES.has(range) ? range : undefined;
}
