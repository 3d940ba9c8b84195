import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { GatewayError } from '../domain/errors.js';
import { ALLOWED, type LimitDecision, type Limiter } from '../domain/limits.js';
import { OutageLog, type OutageLogger } from './outage-log.js';
import { guessingPolicy, type GuessingPolicy } from '../domain/passcode-guessing.js';
import type { PasscodeFailureLog } from './passcode-failure-log.js';
import { CHECK_PASSCODE_ATTEMPT, RECORD_PASSCODE_FAILURE, RELEASE_NUMBER, RESERVE_NUMBER, TAKE_TOKEN } from './redis-scripts.js';

export interface RedisLimiterOptions {
  /** redis://host:port/db */
  readonly url: string;
  /** Prepended to every key, e.g. "smsgate:" (tests use a unique one). */
  readonly keyPrefix: string;
  /** How long a reserved phone number stays reserved. */
  readonly numberIntervalMs: number;
  readonly sendRatePerS: number;
  readonly queryRatePerS: number;
  /** A pino logger in production. */
  readonly logger: OutageLogger;
  /** Longest a request waits on Redis before the limiter gives up (default 500). */
  readonly commandTimeoutMs?: number;
  /** Default: guessingPolicy(20, 100). */
  readonly guessing?: GuessingPolicy;
  /** Flushed on close, so that the last second's count is not lost. */
  readonly failureLog?: Pick<PasscodeFailureLog, 'failed' | 'blocked' | 'flush'>;
}

/** The scripts, registered with defineCommand: EVALSHA, falling back to EVAL once per script. */
interface LimiterScripts {
  smsgateReserveNumber(key: string, holder: string, intervalMs: number): Promise<number>;
  smsgateReleaseNumber(key: string, holder: string): Promise<number>;
  smsgateTakeToken(key: string, ratePerS: number): Promise<number>;
  smsgateCheckPasscodeAttempt(addressKey: string, pairKey: string): Promise<number>;
  smsgateRecordPasscodeFailure(addressKey: string, pairKey: string, ...limits: number[]): Promise<[number, number]>;
}

const UNAVAILABLE = 'rate limits are unavailable: Redis does not answer';

function decision(waitMs: number): LimitDecision {
  return waitMs <= 0 ? ALLOWED : { allowed: false, retryAfterS: Math.max(1, Math.ceil(waitMs / 1000)) };
}

/**
 * Limits shared by every API process through one Redis. Fails closed: when Redis does not
 * answer within the command timeout, every check throws LIMITER_UNAVAILABLE (the API answers
 * 503) rather than letting a limit go unenforced.
 */
export class RedisLimiter implements Limiter {
  private readonly redis: Redis;
  private readonly scripts: LimiterScripts;
  private readonly outage: OutageLog;
  /**
   * Marks this instance's reservations, so a release never deletes another instance's. Per
   * instance, not per reservation: remembering each one would cost memory at tens of thousands
   * a second, and the API releases within one request, long before the interval runs out.
   */
  private readonly holder = randomUUID();
  private readonly guessing: GuessingPolicy;

  constructor(private readonly options: RedisLimiterOptions) {
    const timeoutMs = options.commandTimeoutMs ?? 500;
    this.redis = new Redis(options.url, {
      // While disconnected, fail at once instead of queueing requests until Redis is back.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // A Redis that accepts but does not answer must not hang requests either.
      commandTimeout: timeoutMs,
      connectTimeout: Math.max(timeoutMs, 1_000),
      retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
      // Checks issued in the same tick by concurrent requests go out in one write.
      enableAutoPipelining: true,
    });
    this.redis.defineCommand('smsgateReserveNumber', { numberOfKeys: 1, lua: RESERVE_NUMBER });
    this.redis.defineCommand('smsgateReleaseNumber', { numberOfKeys: 1, lua: RELEASE_NUMBER });
    this.redis.defineCommand('smsgateTakeToken', { numberOfKeys: 1, lua: TAKE_TOKEN });
    this.redis.defineCommand('smsgateCheckPasscodeAttempt', { numberOfKeys: 2, lua: CHECK_PASSCODE_ATTEMPT });
    this.redis.defineCommand('smsgateRecordPasscodeFailure', { numberOfKeys: 2, lua: RECORD_PASSCODE_FAILURE });
    this.guessing = options.guessing ?? guessingPolicy(20, 100);
    this.scripts = this.redis as unknown as LimiterScripts;
    this.outage = new OutageLog(options.logger, `Redis at ${this.redactedUrl()} (rate limits; the API answers 503 meanwhile)`);
    this.redis.on('error', (error: Error) => this.outage.failed(error));
    this.redis.on('ready', () => this.outage.recovered());
  }

  /** Resolves true once connected, false if not within `timeoutMs`; checks fail until then. */
  async ready(timeoutMs: number): Promise<boolean> {
    if (this.redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), timeoutMs);
      const onReady = (): void => finish(true);
      const finish = (ok: boolean): void => {
        clearTimeout(timer);
        this.redis.off('ready', onReady);
        resolve(ok);
      };
      this.redis.on('ready', onReady);
    });
  }

  /** Rejects at once while disconnected (no offline queue), or after the command timeout. */
  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async reserveNumber(e164: string): Promise<LimitDecision> {
    // SMSGATE_PER_NUMBER_INTERVAL_S=0 is no limit; SET ... PX 0 would be an error, so every send a 503.
    if (this.options.numberIntervalMs <= 0) return ALLOWED;
    const waitMs = await this.call(() => this.scripts.smsgateReserveNumber(this.numberKey(e164), this.holder, this.options.numberIntervalMs));
    return decision(waitMs);
  }

  async releaseNumber(e164: string): Promise<void> {
    if (this.options.numberIntervalMs <= 0) return;
    await this.call(() => this.scripts.smsgateReleaseNumber(this.numberKey(e164), this.holder));
  }

  async takeSend(): Promise<LimitDecision> {
    return decision(await this.call(() => this.scripts.smsgateTakeToken(`${this.options.keyPrefix}rate:send`, this.options.sendRatePerS)));
  }

  async takeQuery(): Promise<LimitDecision> {
    return decision(await this.call(() => this.scripts.smsgateTakeToken(`${this.options.keyPrefix}rate:query`, this.options.queryRatePerS)));
  }

  async checkPasscodeAttempt(address: string, clientId: string): Promise<LimitDecision> {
    return decision(await this.call(() => this.scripts.smsgateCheckPasscodeAttempt(this.addressKey(address), this.pairKey(address, clientId))));
  }

  async recordPasscodeFailure(address: string, clientId: string): Promise<void> {
    const { maxFailuresPerAddress, maxFailuresPerPair, windowMs, firstBlockMs, maxBlockMs } = this.guessing;
    this.options.failureLog?.failed(clientId, address);
    const [addressBlockMs, pairBlockMs] = await this.call(() =>
      this.scripts.smsgateRecordPasscodeFailure(this.addressKey(address), this.pairKey(address, clientId), maxFailuresPerAddress, maxFailuresPerPair, windowMs, firstBlockMs, maxBlockMs),
    );
    if (addressBlockMs > 0) this.options.failureLog?.blocked(address, undefined, Math.round(addressBlockMs / 1000));
    if (pairBlockMs > 0) this.options.failureLog?.blocked(address, clientId, Math.round(pairBlockMs / 1000));
  }

  async close(): Promise<void> {
    this.options.failureLog?.flush();
    // QUIT lets replies in flight arrive; when not connected there is nothing to wait for.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  private numberKey(e164: string): string {
    return `${this.options.keyPrefix}number:${e164}`;
  }

  private addressKey(address: string): string {
    return `${this.options.keyPrefix}guess:a:${address}`;
  }

  /** A space cannot be in an address, so no (address, client_id) pair shares a key with another. */
  private pairKey(address: string, clientId: string): string {
    return `${this.options.keyPrefix}guess:p:${address} ${clientId}`;
  }

  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      const result = await command();
      // A hung server times out commands without dropping the connection: no 'ready' to wait for.
      this.outage.recovered();
      return result;
    } catch (error) {
      this.outage.failed(error);
      // The client reconnects at most a second apart (retryStrategy), so a second is worth a retry.
      throw new GatewayError('LIMITER_UNAVAILABLE', UNAVAILABLE, { retryAfterS: 1, cause: error });
    }
  }

  private redactedUrl(): string {
    try {
      const url = new URL(this.options.url);
      url.password = url.password ? '***' : '';
      return url.toString();
    } catch {
      return '(invalid url)';
    }
  }
}
