import { Agent } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callersWithT1, type Caller } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';
import { contractViolation, describeRequest, fuzzRequest, sendFuzzRequest, type FuzzTarget } from './fuzz-requests.js';

/**
 * Generated bad input against the real server (issue 13, attack 1). `npm test` runs a few
 * thousand cases with a fixed seed; `npm run fuzz` runs 100,000 and prints the histogram.
 * SMSGATE_FUZZ_RUNS and SMSGATE_FUZZ_SEED override both.
 */
const LONG = process.env.npm_lifecycle_event === 'fuzz';
const RUNS = Number(process.env.SMSGATE_FUZZ_RUNS ?? (LONG ? 100_000 : 3_000));
const SEED = Number(process.env.SMSGATE_FUZZ_SEED ?? 20_261_203);
/** Streams of requests at once, each its own fast-check run (and seed). */
const STREAMS = LONG ? 4 : 2;

describe('generated bad input: both endpoints answer 200 or a 4xx in the error shape, never a 5xx or a hang', () => {
  let gw: TestGateway;
  let acme: Caller;
  let target: FuzzTarget;
  const agent = new Agent({ keepAlive: true, maxSockets: STREAMS });

  beforeAll(async () => {
    gw = await startTestGateway({
      // Limits would answer most cases with 429 before the input is looked at.
      SMSGATE_PER_NUMBER_INTERVAL_S: '0',
      SMSGATE_AUTH_FAILURES_PER_MIN: '1000000',
      SMSGATE_AUTH_FAILURES_PER_ADDRESS_PER_MIN: '1000000',
      SMSGATE_QUERY_RATE: '1000000',
    });
    [acme] = await callersWithT1(gw, 'acme', 'other');
    await gw.addTemplate('t2', 'Code ${p1}, valid for ${p2} minutes. ${p3}', 'acme');
    await gw.addTemplate('t3', 'Not yours: ${code}', 'other');
    const sent = await acme.send('13800138000');
    expect(sent.status).toBe(200);
    target = { clientId: 'acme', passcode: acme.passcode, templetIds: ['t1', 't2', 't3'], smsUid: sent.json.sms_uid };
  });
  afterAll(async () => {
    agent.destroy();
    await gw.close();
  });

  it(
    `${RUNS} generated requests (seed ${SEED})`,
    async () => {
      const histogram = new Map<string, number>();
      const count = (key: string) => histogram.set(key, (histogram.get(key) ?? 0) + 1);
      const started = performance.now();
      const property = fc.asyncProperty(fuzzRequest(target), async (request) => {
        const answer = await sendFuzzRequest(gw.port, agent, request);
        count(String(answer.status));
        const violation = contractViolation(request, answer);
        if (violation) throw new Error(`${violation}: ${describeRequest(request)} -> ${answer.status} ${answer.text.slice(0, 300)}`);
      });
      await Promise.all(
        Array.from({ length: STREAMS }, (_, stream) =>
          fc.assert(property, { seed: SEED + stream, numRuns: Math.ceil(RUNS / STREAMS) }),
        ),
      );
      const seconds = (performance.now() - started) / 1000;
      const rows = [...histogram].sort(([a], [b]) => a.localeCompare(b)).map(([status, n]) => `  ${status.padEnd(60)} ${String(n).padStart(7)}`);
      console.log(`fuzz: ${RUNS} requests, seed ${SEED}, ${STREAMS} streams, ${seconds.toFixed(1)} s\n${rows.join('\n')}`);

      // Still serving as before: the right request is accepted and its message found.
      const after = await acme.send('13800138001');
      expect(after.status).toBe(200);
      expect((await acme.query(after.json.sms_uid)).status).toBe(200);
    },
    LONG ? 6 * 3_600_000 : 120_000,
  );
});
