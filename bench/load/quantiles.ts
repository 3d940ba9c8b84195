import type { LoadResult } from './types.js';

/** The CDF of one result at `ms`, read off its percentile grid by linear interpolation. */
function cdf(q: LoadResult['quantiles'], ms: number): number {
  if (q.length === 0) return 1;
  if (ms < q[0]![1]) return 0;
  for (let i = 1; i < q.length; i++) {
    const [p1, v1] = q[i]!;
    if (ms < v1) {
      const [p0, v0] = q[i - 1]!;
      return (p0 + ((p1 - p0) * (ms - v0)) / (v1 - v0)) / 100;
    }
  }
  return 1;
}

/**
 * The p-th percentile over several runs, weighting each by its request count: the value where
 * the runs' combined CDF (each from its own percentile grid) reaches p. Exact on the grid.
 */
export function mergedPercentile(results: readonly LoadResult[], p: number): number {
  const live = results.filter((r) => r.requests > 0 && r.quantiles.length > 0);
  const total = live.reduce((sum, r) => sum + r.requests, 0);
  if (total === 0) return Number.NaN;
  let lo = 0;
  let hi = Math.max(...live.map((r) => r.maxMs), ...live.map((r) => r.quantiles.at(-1)![1]));
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    const below = live.reduce((sum, r) => sum + r.requests * cdf(r.quantiles, mid), 0) / total;
    if (below * 100 >= p) hi = mid;
    else lo = mid;
  }
  return hi;
}

export function percentileOf(result: LoadResult, p: number): number {
  return mergedPercentile([result], p);
}

export function combine(results: readonly LoadResult[]) {
  const requests = results.reduce((s, r) => s + r.requests, 0);
  const ok = results.reduce((s, r) => s + r.ok, 0);
  const durationS = results.reduce((s, r) => s + r.durationS, 0);
  return {
    requests,
    ok,
    socketErrors: results.reduce((s, r) => s + r.socketErrors, 0),
    durationS,
    okPerS: durationS > 0 ? ok / durationS : 0,
    p50: mergedPercentile(results, 50),
    p99: mergedPercentile(results, 99),
  };
}
