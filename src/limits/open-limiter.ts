import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Limiter } from '../domain/limits.js';
import type { MessageStore } from '../store/message-store.js';
import { guessingPolicy } from '../domain/passcode-guessing.js';
import { MemoryLimiter } from './memory-limiter.js';
import { PasscodeFailureLog } from './passcode-failure-log.js';
import { RedisLimiter } from './redis-limiter.js';

/**
 * The limiter the configuration names: Redis when SMSGATE_REDIS_URL is set, else in-process.
 * The in-process one starts with the numbers that got a message within the interval before a
 * restart, read back from `store` (given where sends are accepted), so a restart does not let a
 * second one through.
 */
export async function openLimiter(config: Config, logger: Logger, store?: MessageStore): Promise<Limiter> {
  const perNumberIntervalMs = config.perNumberIntervalS * 1000;
  const guessing = guessingPolicy(config.authFailuresPerMin, config.authFailuresPerAddressPerMin);
  const failureLog = new PasscodeFailureLog(logger.child({ component: 'auth' }));
  if (!config.redisUrl) {
    const limiter = new MemoryLimiter({ perNumberIntervalMs, sendRatePerS: config.sendRatePerS, queryRatePerS: config.queryRatePerS, guessing, failureLog });
    if (store && perNumberIntervalMs > 0) limiter.restore(await store.recentSends(Date.now() - perNumberIntervalMs));
    return limiter;
  }
  const limiter = new RedisLimiter({
    url: config.redisUrl,
    keyPrefix: config.redisPrefix,
    numberIntervalMs: perNumberIntervalMs,
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
