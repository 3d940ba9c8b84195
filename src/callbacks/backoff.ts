/** The shortest wait before the next try of a failed callback. */
export const CALLBACK_BACKOFF_MIN_MS = 1_000;
/** The longest. */
export const CALLBACK_BACKOFF_MAX_MS = 600_000;

/**
 * How long to wait after the `failures`-th failed try (1 for the first): a uniform draw between
 * 1 s and a ceiling that doubles with every failure up to 10 min ("full jitter"), so receivers
 * coming back after an outage are not hit by every sender at the same moment.
 * `random` answers in [0, 1), like Math.random.
 */
export function callbackBackoffMs(failures: number, random: () => number): number {
  const exponent = Math.min(Math.max(failures, 1), 30);
  const ceiling = Math.min(CALLBACK_BACKOFF_MAX_MS, CALLBACK_BACKOFF_MIN_MS * 2 ** exponent);
  return Math.floor(CALLBACK_BACKOFF_MIN_MS + random() * (ceiling - CALLBACK_BACKOFF_MIN_MS));
}

export type RetryDecision = { readonly kind: 'retry'; readonly at: number } | { readonly kind: 'bury' };

/**
 * After a failed try at `now`: try again after the backoff, but not later than the end of the
 * event's life (`owedSince + maxAgeMs`), so the last try falls on it; past it, bury the event.
 */
export function afterFailure(
  event: { readonly attempts: number; readonly owedSince: number },
  now: number,
  maxAgeMs: number,
  random: () => number,
): RetryDecision {
  const deadline = event.owedSince + maxAgeMs;
  if (now >= deadline) return { kind: 'bury' };
  return { kind: 'retry', at: Math.min(now + callbackBackoffMs(event.attempts + 1, random), deadline) };
}
