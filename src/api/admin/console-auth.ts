import type { FastifyRequest } from 'fastify';
import { GatewayError } from '../../domain/errors.js';

/** The cookie the web console's session rides in. */
export const CONSOLE_COOKIE = 'smsgate_console';

/** The header every console change carries: a cross-site form or image cannot set it. */
export const CONSOLE_HEADER = 'x-smsgate-console';

/** The console cookie's value in a Cookie header; undefined when absent. */
export function consoleCookieOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at !== -1 && pair.slice(0, at).trim() === CONSOLE_COOKIE) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * The Set-Cookie of a console session (maxAgeS 0: the one that clears it). HttpOnly: no script
 * reads it; SameSite=Strict: no other site's page sends it; Secure only where the request came
 * over TLS, since the admin listener is plain HTTP on 127.0.0.1 by default and a browser would
 * drop a Secure cookie there.
 */
export function consoleSetCookie(value: string, maxAgeS: number, secure: boolean): string {
  return `${CONSOLE_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`;
}

/**
 * The CSRF rule for a request that the console cookie authenticates: reading (GET, HEAD) is
 * free; anything else needs `X-Smsgate-Console: 1` and, when the browser says where the request
 * comes from (Origin), this listener's own origin. CSRF_REFUSED otherwise. Requests with the
 * bearer token need neither: no other site can make a browser send that header.
 */
export function refuseCrossSite(request: FastifyRequest): void {
  if (request.method === 'GET' || request.method === 'HEAD') return;
  if (request.headers[CONSOLE_HEADER] !== '1') {
    throw new GatewayError('CSRF_REFUSED', 'a console change needs the header X-Smsgate-Console: 1');
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== ownOrigin(request)) {
    throw new GatewayError('CSRF_REFUSED', `a console change from another origin (${origin.slice(0, 100)}) is refused`);
  }
}

/** scheme://host[:port] as the browser addressed this listener (no proxy is trusted here). */
function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`.toLowerCase();
}
