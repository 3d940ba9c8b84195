import type { Live } from './api.js';

/**
 * The Live page's numbers from two snapshots of GET /admin/v1/live: the gateway keeps cumulative
 * counters (what it already counts for /metrics), and the console turns them into rates. Nothing
 * is computed on the gateway while nobody watches.
 */

export interface Rates {
  /** Seconds since the epoch of the newer snapshot (the chart's x). */
  readonly t: number;
  readonly accepted: number;
  readonly delivered: number;
  readonly errors: number;
  readonly rejected: number;
  /** Accept latency p99 in milliseconds over the interval; null when nothing was accepted. */
  readonly p99Ms: number | null;
}

const bound = (le: number | string): number => (typeof le === 'number' ? le : le === '+Inf' ? Infinity : Number(le));

/**
 * The q-quantile of the observations between two cumulative histograms, interpolated linearly in
 * the bucket it falls in, as Prometheus' histogram_quantile does. A quantile in the +Inf bucket
 * answers the highest finite bound (what is known of it).
 */
export function quantileBetween(
  older: Live['accept_latency_seconds'],
  newer: Live['accept_latency_seconds'],
  q: number,
): number | null {
  const previous = new Map(older.buckets.map((b) => [bound(b.le), b.count]));
  const buckets = newer.buckets
    .map((b) => ({ le: bound(b.le), count: b.count - (previous.get(bound(b.le)) ?? 0) }))
    .sort((a, b) => a.le - b.le);
  const last = buckets[buckets.length - 1];
  const total = last !== undefined && last.le === Infinity ? last.count : newer.count - older.count;
  if (!(total > 0)) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bucket of buckets) {
    if (bucket.count >= rank) {
      if (bucket.le === Infinity) return lowerBound;
      const inBucket = bucket.count - lowerCount;
      return inBucket > 0 ? lowerBound + ((bucket.le - lowerBound) * (rank - lowerCount)) / inBucket : bucket.le;
    }
    lowerBound = bucket.le;
    lowerCount = bucket.count;
  }
  return lowerBound;
}

/** Rates per second between two snapshots; null when the newer one is not later (or a counter went back: a restart). */
export function ratesBetween(older: Live, newer: Live): Rates | null {
  const seconds = (Date.parse(newer.at) - Date.parse(older.at)) / 1000;
  if (!(seconds > 0)) return null;
  const diff = (a: number, b: number) => b - a;
  const deltas = [
    diff(older.accepted_total, newer.accepted_total),
    diff(older.delivered_total, newer.delivered_total),
    diff(older.errors_total, newer.errors_total),
    diff(older.rejected_total, newer.rejected_total),
  ];
  if (deltas.some((d) => d < 0)) return null;
  const [accepted, delivered, errors, rejected] = deltas.map((d) => d / seconds) as [number, number, number, number];
  const p99 = quantileBetween(older.accept_latency_seconds, newer.accept_latency_seconds, 0.99);
  return { t: Date.parse(newer.at) / 1000, accepted, delivered, errors, rejected, p99Ms: p99 === null ? null : p99 * 1000 };
}

/** A rolling window of rates, oldest first, as uPlot takes its data: one array per series. */
export class RateHistory {
  readonly t: number[] = [];
  readonly accepted: number[] = [];
  readonly delivered: number[] = [];
  readonly errors: number[] = [];
  readonly p99Ms: (number | null)[] = [];

  constructor(private readonly keepSeconds: number) {}

  push(rates: Rates): void {
    this.t.push(rates.t);
    this.accepted.push(rates.accepted);
    this.delivered.push(rates.delivered);
    this.errors.push(rates.errors);
    this.p99Ms.push(rates.p99Ms);
    while (this.t.length > 0 && this.t[0]! < rates.t - this.keepSeconds) {
      this.t.shift();
      this.accepted.shift();
      this.delivered.shift();
      this.errors.shift();
      this.p99Ms.shift();
    }
  }
}
