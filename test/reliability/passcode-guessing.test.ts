import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePasscode } from '../../src/domain/passcode.js';
import { SEND, callersWithT1, cnMobile, expectError, type Caller } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';
import { REDIS_TEST_URL, redisAvailable } from '../support/services.js';

/** A POST from another loopback address (Linux routes all of 127/8 to lo): another source address. */
function postFrom(localAddress: string, port: number, path: string, body: unknown): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', localAddress, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const redis = await redisAvailable();
const variants = [
  { name: 'in-process limits', env: {} as Record<string, string> },
  ...(redis.available ? [{ name: 'Redis limits', env: { SMSGATE_REDIS_URL: REDIS_TEST_URL, SMSGATE_REDIS_PREFIX: `test-guess-${randomUUID()}:` } }] : []),
];

describe.each(variants)('passcode guessing ($name)', ({ env }) => {
  let gw: TestGateway;
  let acme: Caller;
  const lines: string[] = [];
  let n = 0;
  const next = () => cnMobile(n++, '1390013');
  const logs = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });

  beforeAll(async () => {
    gw = await startTestGateway({ SMSGATE_PER_NUMBER_INTERVAL_S: '0', SMSGATE_LOG_LEVEL: 'warn', ...env }, { logDestination: logs });
    [acme] = await callersWithT1(gw, 'acme');
  });
  afterAll(() => gw.close());

  it('an attacker gets 20 x 401 then 429 with Retry-After, even for the right passcode; the real client at another address keeps sending', async () => {
    const wrong = () => gw.post(SEND, { client_id: 'acme', passcode: generatePasscode(), phone_number: next(), templet_id: 't1', contents: [{ p1: '1' }] });
    const legitimate = async (): Promise<number[]> => {
      const statuses: number[] = [];
      for (let i = 0; i < 30; i += 1) {
        const answer = await postFrom('127.0.0.2', gw.port, SEND, { client_id: 'acme', passcode: acme.passcode, phone_number: next(), templet_id: 't1', contents: [{ p1: '1' }] });
        statuses.push(answer.status);
      }
      return statuses;
    };
    const attack = async (): Promise<Array<{ status: number; headers: Headers; json: any }>> => {
      const answers = [];
      for (let i = 0; i < 200; i += 1) answers.push(await wrong());
      return answers;
    };
    const [attacked, legit] = await Promise.all([attack(), legitimate()]);

    expect(legit).toEqual(Array(30).fill(200));
    for (const answer of attacked.slice(0, 20)) expectError(answer, 401);
    for (const answer of attacked.slice(20)) {
      expectError(answer, 429, /too many wrong passcodes/);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(50);
    }
    // Blocked: the right passcode from the attacking address is refused too, so a 429 says nothing.
    expectError(await acme.send(next()), 429);
    // Another client from the attacking address is not blocked (20 < the per-address 100).
    expect((await gw.post(SEND, { client_id: 'other', passcode: 'x', phone_number: next(), templet_id: 't1', contents: [] })).status).toBe(401);

    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const counted = lines.map((line) => JSON.parse(line)).filter((line) => line.client_id === 'acme' && typeof line.failures === 'number');
    expect(counted.length).toBeGreaterThan(0);
    expect(counted.length).toBeLessThanOrEqual(3);
    expect(counted.reduce((sum, line) => sum + line.failures, 0)).toBe(20);
    expect(lines.some((line) => line.includes('too many wrong passcodes from 127.0.0.1 for client acme'))).toBe(true);
    expect(lines.some((line) => line.includes(acme.passcode))).toBe(false);
  });

  it('a 401 costs no more than a 200: median latency, interleaved, from addresses not blocked', async () => {
    const timed = async (address: string, body: unknown): Promise<number> => {
      const started = performance.now();
      await postFrom(address, gw.port, SEND, body);
      return performance.now() - started;
    };
    const failed: number[] = [];
    const accepted: number[] = [];
    for (let i = 0; i < 60; i += 1) {
      // Unknown client ids: no pair reaches its limit, and 60 stays under the address's 100.
      failed.push(await timed('127.0.0.3', { client_id: `ghost-${i}`, passcode: generatePasscode(), phone_number: next(), templet_id: 't1', contents: [{ p1: '1' }] }));
      accepted.push(await timed('127.0.0.4', { client_id: 'acme', passcode: acme.passcode, phone_number: next(), templet_id: 't1', contents: [{ p1: '1' }] }));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    expect(median(failed)).toBeLessThanOrEqual(median(accepted) * 1.5);
  });
});
