import { lookup } from 'node:dns/promises';
import { literalAddress, parseCallbackUrl, refusedAddressRange } from '../domain/callback-url.js';
import { GatewayError } from '../domain/errors.js';

/**
 * Checks a callback URL when it is set and again before each send (a name may resolve elsewhere
 * since): the URL must be http(s) without credentials, and, unless `allowPrivate`
 * (SMSGATE_CALLBACK_ALLOW_PRIVATE), every address its host resolves to must be a public one, so a
 * client cannot make the gateway POST into its own network. Throws GatewayError
 * CALLBACK_URL_REFUSED naming why; answers the parsed URL.
 */
export async function assertCallbackTarget(url: string, allowPrivate: boolean): Promise<URL> {
  const parsed = parseCallbackUrl(url);
  if (allowPrivate) return parsed;
  const literal = literalAddress(parsed);
  const addresses = literal === undefined ? await resolve(parsed.hostname) : [literal];
  for (const address of addresses) {
    const range = refusedAddressRange(address);
    if (range !== undefined) {
      const where = literal === undefined ? `the callback host ${parsed.hostname} resolves to ${address}` : `the callback address ${address}`;
      throw new GatewayError('CALLBACK_URL_REFUSED', `${where} is ${range}: refused unless SMSGATE_CALLBACK_ALLOW_PRIVATE=true`);
    }
  }
  return parsed;
}

async function resolve(hostname: string): Promise<string[]> {
  try {
    const found = await lookup(hostname, { all: true, verbatim: true });
    if (found.length === 0) throw new Error('no address');
    return found.map((entry) => entry.address);
  } catch (cause) {
    throw new GatewayError('CALLBACK_URL_REFUSED', `the callback host ${hostname} does not resolve`, { cause });
  }
}
