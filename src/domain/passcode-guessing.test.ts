import { describe, expect, it } from 'vitest';
import { afterFailure, blockMs, forgetAtMs, guessingDecision, guessingPolicy, type GuessingState } from './passcode-guessing.js';

const policy = guessingPolicy(3, 10);

function failTimes(n: number, state: GuessingState | undefined, nowMs: number): GuessingState | undefined {
  for (let i = 0; i < n; i += 1) state = afterFailure(policy, 3, state, nowMs);
  return state;
}

describe('passcode-guessing policy', () => {
  it('allows `limit` failures in a window, the last of them starting the first block', () => {
    const two = failTimes(2, undefined, 0);
    expect(guessingDecision(two, 0).allowed).toBe(true);
    const three = afterFailure(policy, 3, two, 0);
    expect(guessingDecision(three, 0)).toEqual({ allowed: false, retryAfterS: 60 });
    expect(guessingDecision(three, 59_001)).toEqual({ allowed: false, retryAfterS: 1 });
    expect(guessingDecision(three, 60_000).allowed).toBe(true);
  });

  it('starts a new window after a minute', () => {
    const two = failTimes(2, undefined, 0);
    expect(guessingDecision(afterFailure(policy, 3, two, 60_000), 60_000).allowed).toBe(true);
  });

  it('doubles the block each time it trips again, up to an hour', () => {
    expect([1, 2, 3, 6, 7, 40].map((strikes) => blockMs(policy, strikes))).toEqual([60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000]);
    let state = failTimes(3, undefined, 0)!;
    expect(state.strikes).toBe(1);
    state = failTimes(3, state, state.blockedUntilMs)!;
    expect(state.strikes).toBe(2);
    expect(guessingDecision(state, 60_000)).toEqual({ allowed: false, retryAfterS: 120 });
  });

  it('forgets the strikes after a quiet hour past the last block', () => {
    const blocked = failTimes(3, undefined, 0)!;
    const later = blocked.blockedUntilMs + 3_600_001;
    expect(forgetAtMs(policy, blocked)).toBe(blocked.blockedUntilMs + 3_600_000);
    expect(failTimes(3, blocked, later)!.strikes).toBe(1);
  });
});
