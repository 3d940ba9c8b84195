/** One RSS reading: seconds since the load started, bytes. */
export type Sample = readonly [seconds: number, bytes: number];

export interface RssVerdict {
  readonly flat: boolean;
  /** Growth over the judged window along the least-squares line, as a fraction of its start. */
  readonly trend: number;
  /** Largest reading over the smallest, minus one. */
  readonly spread: number;
  readonly from: number;
  readonly samples: number;
}

/**
 * RSS is flat when, after the warm-up, the least-squares line through the readings rises by at
 * most `limit` (10 %) of its starting value over the window. The line, not first
 * against last, so one garbage collection at either end does not decide the verdict.
 */
export function judgeRss(samples: readonly Sample[], warmUpS: number, limit = 0.1): RssVerdict | undefined {
  const judged = samples.filter(([t]) => t >= warmUpS);
  if (judged.length < 3) return undefined;
  const n = judged.length;
  const meanT = judged.reduce((s, [t]) => s + t, 0) / n;
  const meanB = judged.reduce((s, [, b]) => s + b, 0) / n;
  let num = 0;
  let den = 0;
  for (const [t, b] of judged) {
    num += (t - meanT) * (b - meanB);
    den += (t - meanT) ** 2;
  }
  const slope = den === 0 ? 0 : num / den;
  const first = judged[0]![0];
  const last = judged[n - 1]![0];
  const startValue = meanB + slope * (first - meanT);
  const trend = (slope * (last - first)) / startValue;
  const bytes = judged.map(([, b]) => b);
  const spread = Math.max(...bytes) / Math.min(...bytes) - 1;
  // Falling is no leak: it is the warm-up's garbage being returned.
  return { flat: trend <= limit, trend, spread, from: warmUpS, samples: n };
}
