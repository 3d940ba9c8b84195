import { afterEach, describe, expect, it } from 'vitest';
import { generatePasscode } from '../../src/domain/passcode.js';
import { SEND, cnMobile } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

/**
 * Passcode guessing is counted per client address. Behind a reverse proxy every request comes
 * from the proxy, so the address is the X-Forwarded-For client, but only when the peer is a proxy
 * SMSGATE_TRUST_PROXY names: otherwise a guesser would name a fresh address with each guess.
 */
let gw: TestGateway | undefined;
afterEach(() => gw?.close());

let n = 0;
const guess = (forwardedFor: string) =>
  gw!.post(
    SEND,
    { client_id: 'acme', passcode: generatePasscode(), phone_number: cnMobile(n++, '1390014'), templet_id: 't1', contents: [{ p1: '1' }] },
    { headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor } },
  );

async function statuses(forwardedFor: (i: number) => string, count: number): Promise<number[]> {
  const answers: number[] = [];
  for (let i = 0; i < count; i += 1) answers.push((await guess(forwardedFor(i))).status);
  return answers;
}

describe('SMSGATE_TRUST_PROXY', () => {
  it('off (the default): X-Forwarded-For is ignored, a new address in it per guess does not dodge the throttle', async () => {
    gw = await startTestGateway({ SMSGATE_LOG_LEVEL: 'silent' });
    const answers = await statuses((i) => `203.0.113.${i + 1}`, 25);
    expect(answers).toEqual([...Array(20).fill(401), ...Array(5).fill(429)]);
  });

  it.each(['127.0.0.1', '1', 'loopback'])('set to %j (the proxy): two forwarded client addresses are throttled each on its own', async (trust) => {
    gw = await startTestGateway({ SMSGATE_LOG_LEVEL: 'silent', SMSGATE_TRUST_PROXY: trust });
    const first = await statuses(() => '203.0.113.7', 22);
    expect(first).toEqual([...Array(20).fill(401), 429, 429]);
    // The other client behind the same proxy is not blocked by the first one's guesses.
    const second = await statuses(() => '198.51.100.9', 21);
    expect(second).toEqual([...Array(20).fill(401), 429]);
    // The rightmost address the trusted proxy added is the client, whatever the client wrote before it.
    expect((await guess('192.0.2.1, 203.0.113.7')).status).toBe(429);
  });

  it('set to another proxy: a peer not trusted is the client, its X-Forwarded-For ignored', async () => {
    gw = await startTestGateway({ SMSGATE_LOG_LEVEL: 'silent', SMSGATE_TRUST_PROXY: '10.9.9.9' });
    const answers = await statuses((i) => `203.0.113.${i + 1}`, 21);
    expect(answers).toEqual([...Array(20).fill(401), 429]);
  });
});
