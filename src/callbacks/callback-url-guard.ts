import { lookup as lookupCallback, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
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

/** The error code of a connection refused by publicOnlyLookup: the failure list shows it. */
export const CALLBACK_ADDRESS_REFUSED = 'CALLBACK_ADDRESS_REFUSED';

/**
 * The name lookup a callback connection uses unless SMSGATE_CALLBACK_ALLOW_PRIVATE: the same rule
 * as assertCallbackTarget, applied to the addresses the socket is about to connect to. Checking
 * the name before the request is not enough: a receiver's DNS may answer a public address to the
 * check and a private one a moment later to the connection (DNS rebinding). Literal addresses
 * never reach a lookup; assertCallbackTarget has checked them.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  const all: LookupAllOptions = { ...options, all: true };
  lookupCallback(hostname, all, (error, found: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refusedOne = found.find((entry) => refusedAddressRange(entry.address) !== undefined);
    if (refusedOne !== undefined) {
      const refusal = Object.assign(
        new Error(`the callback host ${hostname} resolves to ${refusedOne.address}, ${refusedAddressRange(refusedOne.address)}: refused`),
        { code: CALLBACK_ADDRESS_REFUSED },
      );
      return callback(refusal, '', 0);
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, found);
    const first = found[0];
    if (first === undefined) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
    callback(null, first.address, first.family);
  });
};
