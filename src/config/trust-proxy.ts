import { isIP } from 'node:net';
import { GatewayError } from '../domain/errors.js';

/**
 * Which peers may say who the client is (X-Forwarded-For), in the shape Fastify's `trustProxy`
 * takes: false (none: the client is the TCP peer), true (every peer; only behind a proxy that
 * overwrites the header), a hop count, or the proxies' addresses and CIDR ranges.
 */
export type TrustProxy = boolean | number | readonly string[];

/** proxy-addr's names for well-known ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

/** Reads SMSGATE_TRUST_PROXY: unset or `off` is false; `true`; `1`..`10` hops; or a comma-separated list. */
export function readTrustProxy(env: NodeJS.ProcessEnv, name: string): TrustProxy {
  const raw = env[name]?.trim() ?? '';
  if (raw === '' || raw === 'off' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops >= 1 && hops <= 10) return hops;
  } else {
    const entries = raw.split(',').map((e) => e.trim());
    if (entries.every(isAddressOrRange)) return entries;
  }
  throw new GatewayError(
    'INVALID_CONFIG',
    `${name}=${JSON.stringify(raw)} is invalid: expected off, true, a hop count from 1 to 10, or comma-separated proxy addresses and CIDR ranges (e.g. 10.0.0.1,192.168.0.0/16)`,
  );
}
