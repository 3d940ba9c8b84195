import { Redis } from 'ioredis';
import { GatewayError } from '../domain/errors.js';
import { ALLOWED, type LimitDecision, type Limiter } from '../domain/limits.js';
import { OutageLog, type OutageLogger } from './outage-log.js';
import { guessingPolicy, type GuessingPolicy } from '../domain/passcode-guessing.js';
import type { PasscodeFailureLog } from './passcode-failure-log.js';
import { ADMISSION_ORDER, type Admission, type SendToAdmit } from '../domain/send-policy.js';
import { longestLog, type SendWindow } from '../domain/send-windows.js';
import { ADMIT_SEND, CANCEL_SEND, CHECK_PASSCODE_ATTEMPT, RECORD_PASSCODE_FAILURE, TAKE_TOKEN } from './redis-scripts.js';

export interface RedisLimiterOptions {
  /** redis://host:port/db */
  readonly url: string;
  /** Prepended to every key, e.g. "smsgate:" (tests use a unique one). */
  readonly keyPrefix: string;
  /** SMSGATE_PER_NUMBER_LIMITS: every number's windows. */
  readonly numberWindows: readonly SendWindow[];
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
  smsgateAdmitSend(...keysAndArgs: (string | number)[]): Promise<[number, number, number]>;
  smsgateCancelSend(rateKey: string, dailyKey: string, capKey: string, numberKey: string, at: number): Promise<number>;
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
    this.redis.defineCommand('smsgateAdmitSend', { numberOfKeys: 5, lua: ADMIT_SEND });
    this.redis.defineCommand('smsgateCancelSend', { numberOfKeys: 4, lua: CANCEL_SEND });
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

  async admitSend(send: SendToAdmit): Promise<Admission> {
    const windows = this.options.numberWindows;
    const [step, value, windowIndex] = await this.call(() =>
      this.scripts.smsgateAdmitSend(
        ...this.admissionKeys(send),
        `${this.options.keyPrefix}rate:send`,
        send.rate?.limit ?? 0,
        send.rate?.ms ?? 0,
        send.dailyQuota ?? 0,
        send.countryCap?.limit ?? 0,
        send.countryCap?.ms ?? 0,
        this.options.sendRatePerS,
        longestLog(windows),
        windows.reduce((longest, w) => Math.max(longest, w.ms), 0),
        ...windows.flatMap((w) => [w.limit, w.ms]),
      ),
    );
    if (step === 0) return { allowed: true, at: value };
    return { allowed: false, step: ADMISSION_ORDER[step - 1]!, waitMs: value, window: windowIndex > 0 ? windows[windowIndex - 1] : undefined };
  }

  async cancelSend(send: SendToAdmit, at: number): Promise<void> {
    const [rateKey, dailyKey, capKey, numberKey] = this.admissionKeys(send);
    await this.call(() => this.scripts.smsgateCancelSend(send.rate ? rateKey : '', dailyKey, send.countryCap ? capKey : '', this.options.numberWindows.length > 0 ? numberKey : '', at));
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

  /** Client rate, daily, client-country cap and number keys. A client id has no space (client-id.ts). */
  private admissionKeys(send: SendToAdmit): [string, string, string, string] {
    const prefix = this.options.keyPrefix;
    return [`${prefix}crate:${send.clientId}`, `${prefix}daily:${send.clientId}`, `${prefix}ccap:${send.clientId} ${send.country}`, `${prefix}nlog:${send.phoneNumber}`];
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
