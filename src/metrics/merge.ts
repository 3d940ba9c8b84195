import { AggregatorRegistry, type Registry } from 'prom-client';
import type { MetricsJson } from './metrics.js';

/**
 * One exposition of several registries of one process (the main thread's and the dispatch
 * thread's): samples of the same name and labels are added up. Each registry owns different
 * series (process metrics and the queue in the main thread, binds in the dispatch thread), so
 * adding them loses nothing.
 */
export async function mergedExposition(parts: readonly MetricsJson[]): Promise<{ text: string; contentType: string }> {
  const merged: Registry = AggregatorRegistry.aggregate(parts as MetricsJson[]);
  return { text: await merged.metrics(), contentType: merged.contentType };
}
