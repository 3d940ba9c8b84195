import type { Metric, MetricValueWithName, Registry } from 'prom-client';

/** One label set's count: inc() is one addition. */
export class CounterSeries {
  value = 0;

  constructor(readonly labels: Readonly<Record<string, string>>) {}

  inc(by = 1): void {
    this.value += by;
  }
}

/**
 * Hot-path metrics. prom-client's own hash and validate their labels on every increment or
 * observation (some hundreds of nanoseconds each, measured): here each label set's series is
 * looked up once (series(), by the caller, who keeps it) and counting is arithmetic. They are
 * registered in a prom-client Registry like any metric, and exposed by it the same way.
 */
abstract class LeanMetric<S extends { readonly labels: Readonly<Record<string, string>> }> {
  private readonly all = new Map<string, S>();

  constructor(
    readonly name: string,
    readonly help: string,
    registry: Registry,
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  /** The series of these label values, created on first use; keep it where counting is hot. */
  series(labels: Readonly<Record<string, string>> = {}): S {
    const key = JSON.stringify(labels);
    let series = this.all.get(key);
    if (!series) {
      series = this.create(labels);
      this.all.set(key, series);
    }
    return series;
  }

  protected abstract create(labels: Readonly<Record<string, string>>): S;

  protected allSeries(): S[] {
    return [...this.all.values()];
  }
}

export class LeanCounter extends LeanMetric<CounterSeries> {
  readonly type = 'counter';

  protected create(labels: Readonly<Record<string, string>>): CounterSeries {
    return new CounterSeries(labels);
  }

  /** What prom-client's registry reads of a metric to expose it (text and JSON alike). */
  get(): { name: string; help: string; type: 'counter'; values: MetricValueWithName<string>[]; aggregator: 'sum' } {
    const values = this.allSeries().map((series) => ({ labels: { ...series.labels }, value: series.value }));
    return { name: this.name, help: this.help, type: 'counter', values, aggregator: 'sum' };
  }
}

/** One label set's buckets: observe() is a bucket search and three additions, nothing more. */
export class HistogramSeries {
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(
    private readonly bounds: readonly number[],
    readonly labels: Readonly<Record<string, string>>,
  ) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    if (i < bounds.length) this.counts[i]! += 1;
    this.sum += value;
    this.count += 1;
  }

  /** Prometheus's cumulative buckets, then _sum and _count. */
  samples(name: string): MetricValueWithName<string>[] {
    const samples: MetricValueWithName<string>[] = [];
    let cumulative = 0;
    this.bounds.forEach((bound, i) => {
      cumulative += this.counts[i]!;
      samples.push({ metricName: `${name}_bucket`, labels: { ...this.labels, le: bound }, value: cumulative });
    });
    samples.push({ metricName: `${name}_bucket`, labels: { ...this.labels, le: '+Inf' }, value: this.count });
    samples.push({ metricName: `${name}_sum`, labels: { ...this.labels }, value: this.sum });
    samples.push({ metricName: `${name}_count`, labels: { ...this.labels }, value: this.count });
    return samples;
  }
}

export class LeanHistogram extends LeanMetric<HistogramSeries> {
  readonly type = 'histogram';

  constructor(
    name: string,
    help: string,
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    super(name, help, registry);
  }

  protected create(labels: Readonly<Record<string, string>>): HistogramSeries {
    return new HistogramSeries(this.bounds, labels);
  }

  /** What prom-client's registry reads of a metric to expose it (text and JSON alike). */
  get(): { name: string; help: string; type: 'histogram'; values: MetricValueWithName<string>[]; aggregator: 'sum' } {
    const values = this.allSeries().flatMap((series) => series.samples(this.name));
    return { name: this.name, help: this.help, type: 'histogram', values, aggregator: 'sum' };
  }
}
