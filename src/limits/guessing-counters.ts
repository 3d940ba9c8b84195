import { ALLOWED, type LimitDecision } from '../domain/limits.js';
import { afterFailure, forgetAtMs, guessingDecision, guessingPolicy, type GuessingPolicy, type GuessingState } from '../domain/passcode-guessing.js';
import type { PasscodeFailureLog } from './passcode-failure-log.js';

/** Counters past this many are swept of the ones that say nothing any more. */
const SWEEP_ABOVE = 10_000;

/** The guessing counters of one process (the in-process limiter's); Redis holds them in scale-out. */
export class GuessingCounters {
  private readonly counters = new Map<string, GuessingState>();
  private sweepAbove = SWEEP_ABOVE;

  constructor(
    private readonly policy: GuessingPolicy = guessingPolicy(20, 100),
    private readonly log?: Pick<PasscodeFailureLog, 'failed' | 'blocked'>,
  ) {}

  check(address: string, clientId: string, nowMs: number): LimitDecision {
    if (this.counters.size === 0) return ALLOWED;
    const byAddress = guessingDecision(this.counters.get(addressKey(address)), nowMs);
    const byPair = guessingDecision(this.counters.get(pairKey(address, clientId)), nowMs);
    return byAddress.retryAfterS >= byPair.retryAfterS ? byAddress : byPair;
  }

  fail(address: string, clientId: string, nowMs: number): void {
    this.log?.failed(clientId, address);
    this.count(addressKey(address), this.policy.maxFailuresPerAddress, nowMs, address, undefined);
    this.count(pairKey(address, clientId), this.policy.maxFailuresPerPair, nowMs, address, clientId);
    if (this.counters.size > this.sweepAbove) this.sweep(nowMs);
  }

  clear(): void {
    this.counters.clear();
  }

  private count(key: string, limit: number, nowMs: number, address: string, clientId: string | undefined): void {
    const before = this.counters.get(key);
    const after = afterFailure(this.policy, limit, before, nowMs);
    // Re-inserted, so that the map's order stays the order of last change.
    this.counters.delete(key);
    this.counters.set(key, after);
    if (after.blockedUntilMs !== (before?.blockedUntilMs ?? 0)) this.log?.blocked(address, clientId, Math.round((after.blockedUntilMs - nowMs) / 1000));
  }

  private sweep(nowMs: number): void {
    for (const [key, state] of this.counters) if (forgetAtMs(this.policy, state) <= nowMs) this.counters.delete(key);
    // Still full of live counters (many addresses at once): let the next sweep wait until twice as many.
    this.sweepAbove = Math.max(SWEEP_ABOVE, this.counters.size * 2);
  }
}

function addressKey(address: string): string {
  return `a ${address}`;
}

function pairKey(address: string, clientId: string): string {
  return `p ${address} ${clientId}`;
}
