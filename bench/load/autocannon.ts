import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { phoneNumber, type LoadGenerator, type LoadResult, type LoadSpec } from './types.js';

/** autocannon's percentile keys (ms) and the percentile each stands for. */
const KEYS: [string, number][] = [
  ['min', 0], ['p1', 1], ['p2_5', 2.5], ['p10', 10], ['p25', 25], ['p50', 50], ['p75', 75], ['p90', 90],
  ['p97_5', 97.5], ['p99', 99], ['p99_9', 99.9], ['p99_99', 99.99], ['max', 100],
];

/** The fallback when wrk is not installed: autocannon, in this process. */
export class AutocannonGenerator implements LoadGenerator {
  readonly name = 'autocannon';

  numbersUsed(spec: LoadSpec): number {
    return Math.ceil(spec.durationS + 1) * 200_000;
  }

  async run(spec: LoadSpec): Promise<LoadResult> {
    const b = spec.body;
    let counter = 0;
    let makeBody: () => string;
    if (b.kind === 'send') {
      makeBody = () => {
        const n = b.numberOffset + counter++;
        return JSON.stringify({ client_id: b.clientId, passcode: b.passcode, phone_number: phoneNumber(n), templet_id: b.templetId, contents: [{ p1: String((n * 7919) % 1_000_000).padStart(6, '0') }] });
      };
    } else {
      const uids = readFileSync(b.uidsFile, 'utf8').split('\n').filter(Boolean);
      makeBody = () => JSON.stringify({ client_id: b.clientId, passcode: b.passcode, sms_uid: uids[(counter++ * 104729) % uids.length] });
    }
    const delay = spec.delayMs ?? 0;
    const result = await autocannon({
      url: spec.url,
      method: 'POST',
      connections: spec.connections,
      duration: spec.durationS,
      timeout: 10,
      headers: { 'content-type': 'application/json' },
      ...(delay > 0 ? { connectionRate: 1000 / delay } : {}),
      requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: makeBody() }) }],
    });
    const latency = result.latency;
    const ok = result['1xx'] + result['2xx'] + result['3xx'];
    const requests = ok + result['4xx'] + result['5xx'];
    return {
      requests,
      ok,
      socketErrors: result.errors + result.timeouts,
      durationS: result.duration,
      quantiles: requests > 0 ? KEYS.map(([key, p]) => [p, latency[key] ?? 0] as const) : [],
      maxMs: latency.max ?? 0,
    };
  }
}
