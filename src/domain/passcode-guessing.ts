import { ALLOWED, type LimitDecision } from './limits.js';

/**
 * The passcode-guessing policy. Wrong passcodes are counted per source address for one client_id
 * (the pair) and per source address for all client_ids together; past either limit within the
 * window the address is refused with 429 before its passcode is even checked, for a block that
 * doubles each time it trips again. Nothing is counted per client_id alone: that would let an
 * attacker lock the real client out, whose right passcode from its own address is always tried.
 */
export interface GuessingPolicy {
  /** Wrong passcodes one address may give for one client_id within the window; the last of them starts a block. */
  readonly maxFailuresPerPair: number;
  /** Wrong passcodes one address may give for all client_ids together within the window. */
  readonly maxFailuresPerAddress: number;
  readonly windowMs: number;
  /** The first block; each further one doubles, up to maxBlockMs. */
  readonly firstBlockMs: number;
  readonly maxBlockMs: number;
}

export const GUESSING_WINDOW_MS = 60_000;
export const GUESSING_MAX_BLOCK_MS = 3_600_000;

export function guessingPolicy(maxFailuresPerPair: number, maxFailuresPerAddress: number): GuessingPolicy {
  return { maxFailuresPerPair, maxFailuresPerAddress, windowMs: GUESSING_WINDOW_MS, firstBlockMs: GUESSING_WINDOW_MS, maxBlockMs: GUESSING_MAX_BLOCK_MS };
}

/** One counter: an address, or an address with a client_id. */
export interface GuessingState {
  readonly windowStartMs: number;
  readonly failures: number;
  /** 0 when never blocked. */
  readonly blockedUntilMs: number;
  /** Blocks in a row: the next block lasts firstBlockMs * 2^strikes. Forgotten after a quiet maxBlockMs. */
  readonly strikes: number;
}

/** How long the `strikes`-th block lasts (1 is the first). */
export function blockMs(policy: GuessingPolicy, strikes: number): number {
  return Math.min(policy.maxBlockMs, policy.firstBlockMs * 2 ** Math.min(30, Math.max(0, strikes - 1)));
}

/** The counter after one more wrong passcode. */
export function afterFailure(policy: GuessingPolicy, limit: number, state: GuessingState | undefined, nowMs: number): GuessingState {
  let windowStartMs = state?.windowStartMs ?? nowMs;
  let failures = state?.failures ?? 0;
  let strikes = state?.strikes ?? 0;
  const blockedUntilMs = state?.blockedUntilMs ?? 0;
  if (nowMs >= windowStartMs + policy.windowMs) {
    windowStartMs = nowMs;
    failures = 0;
  }
  failures += 1;
  if (failures < limit || blockedUntilMs > nowMs) return { windowStartMs, failures, blockedUntilMs, strikes };
  if (blockedUntilMs > 0 && nowMs - blockedUntilMs > policy.maxBlockMs) strikes = 0;
  strikes += 1;
  return { windowStartMs: nowMs, failures: 0, blockedUntilMs: nowMs + blockMs(policy, strikes), strikes };
}

/** Refused while blocked, with the seconds left. */
export function guessingDecision(state: GuessingState | undefined, nowMs: number): LimitDecision {
  if (!state || state.blockedUntilMs <= nowMs) return ALLOWED;
  return { allowed: false, retryAfterS: Math.max(1, Math.ceil((state.blockedUntilMs - nowMs) / 1000)) };
}

/** When a counter says nothing any more (no window running, no block, no strikes to remember). */
export function forgetAtMs(policy: GuessingPolicy, state: GuessingState): number {
  return Math.max(state.windowStartMs + policy.windowMs, state.blockedUntilMs > 0 ? state.blockedUntilMs + policy.maxBlockMs : 0);
}
