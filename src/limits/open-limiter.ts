import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Limiter } from '../domain/limits.js';
import type { MessageStore } from '../store/message-store.js';
import type { CatalogStore } from '../store/catalog-store.js';
import { readClientLimits, type ClientLimits } from '../domain/client-limits.js';
import { countryOfNumber } from '../domain/phone-number.js';
import { msUntilUtcMidnight, type SendWindow } from '../domain/send-windows.js';
import { numberWindowsOf } from './number-windows.js';
import { guessingPolicy } from '../domain/passcode-guessing.js';
import { MemoryLimiter } from './memory-limiter.js';
import { PasscodeFailureLog } from './passcode-failure-log.js';
import { RedisLimiter } from './redis-limiter.js';

/**
 * The limiter the configuration names: Redis when SMSGATE_REDIS_URL is set, else in-process.
 * The in-process one starts with the sends that still count (in a number's windows, a client's
 * daily quota or country cap) read back from `store` (given where sends are accepted), so a
 * restart does not let more through. A client rate (a window of seconds) starts afresh.
 */
export async function openLimiter(config: Config, logger: Logger, store?: RestoreSource): Promise<Limiter> {
  const numberWindows = numberWindowsOf(config);
  const guessing = guessingPolicy(config.authFailuresPerMin, config.authFailuresPerAddressPerMin);
  const failureLog = new PasscodeFailureLog(logger.child({ component: 'auth' }));
  if (!config.redisUrl) {
    const limiter = new MemoryLimiter({ numberWindows, sendRatePerS: config.sendRatePerS, queryRatePerS: config.queryRatePerS, guessing, failureLog });
    if (store) {
      const clients = (await store.listClients()).map((client) => ({ clientId: client.clientId, limits: readClientLimits(client.limits) }));
      const since = restoreSince(clients, numberWindows, Date.now());
      const caps = new Map(clients.map((c) => [c.clientId, c.limits.countryCap?.limit ?? 0]));
      if (since !== undefined) limiter.restore(await store.recentSends(since), countryOfNumber, (clientId) => caps.get(clientId) ?? 0);
    }
    return limiter;
  }
  const limiter = new RedisLimiter({
    url: config.redisUrl,
    keyPrefix: config.redisPrefix,
    numberWindows,
    sendRatePerS: config.sendRatePerS,
    queryRatePerS: config.queryRatePerS,
    logger: logger.child({ component: 'limits' }),
    guessing,
    failureLog,
  });
  // Start anyway when Redis is down: the API answers 503 until it is back, and says so.
  if (!(await limiter.ready(5_000))) logger.error('Redis does not answer: sends and queries get 503 until it does');
  return limiter;
}

type RestoreSource = Pick<MessageStore, 'recentSends'> & Pick<CatalogStore, 'listClients'>;

/** The oldest send that may still count in some limit; undefined: none can. */
function restoreSince(clients: readonly { limits: ClientLimits }[], numberWindows: readonly SendWindow[], now: number): number | undefined {
  let longestMs = numberWindows.reduce((longest, w) => Math.max(longest, w.ms), 0);
  for (const { limits } of clients) {
    if (limits.countryCap) longestMs = Math.max(longestMs, limits.countryCap.ms);
    if (limits.dailyQuota !== undefined) longestMs = Math.max(longestMs, 86_400_000 - msUntilUtcMidnight(now));
  }
  return longestMs > 0 ? now - longestMs : undefined;
}
