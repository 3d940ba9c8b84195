/** One sample of a Prometheus text exposition. */
export interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** The samples of a Prometheus text exposition (comments skipped). */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples of `name` whose labels include `labels` (0 when there is none). */
export function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value))
    .reduce((sum, s) => sum + s.value, 0);
}

/** The metric families an exposition declares (its `# TYPE` lines). */
export function familyNames(text: string): Set<string> {
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
}

/** GET /metrics of an admin listener, parsed. */
export async function scrape(adminUrl: string): Promise<{ text: string; samples: Sample[] }> {
  const response = await fetch(`${adminUrl}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}: ${await response.text()}`);
  const text = await response.text();
  return { text, samples: parseExposition(text) };
}

/** How much `name` (with `labels`) moved from one scrape to the next. */
export function moved(before: readonly Sample[], after: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return valueOf(after, name, labels) - valueOf(before, name, labels);
}

/** Scrapes until `name` (with `labels`) moved by `by` since `before`; answers that scrape. */
export async function scrapeUntilMoved(adminUrl: string, before: readonly Sample[], name: string, labels: Record<string, string>, by: number, timeoutMs: number): Promise<Sample[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { samples } = await scrape(adminUrl);
    if (moved(before, samples, name, labels) === by) return samples;
    if (Date.now() > until) throw new Error(`${name} ${JSON.stringify(labels)} moved ${moved(before, samples, name, labels)}, not ${by}, within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
