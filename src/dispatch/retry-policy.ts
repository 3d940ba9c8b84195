/** Exponential backoff with jitter for submits the carrier asked us to retry: 1 s, 2 s, 4 s ... 60 s. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.min(attempts, 16));
  return Math.round(base * (0.75 + 0.5 * random()));
}
