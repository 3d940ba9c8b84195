import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callersWithT1, cnMobile, type Caller } from '../support/api.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

describe('the log an operator reads, at info', () => {
  const lines: Record<string, unknown>[] = [];
  let gw: TestGateway;
  let alice: Caller;

  beforeAll(async () => {
    gw = await startTestGateway(
      { SMSGATE_LOG_LEVEL: 'info', SMSGATE_PER_NUMBER_INTERVAL_S: '0' },
      { logDestination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } },
    );
    [alice] = await callersWithT1(gw, 'alice');
  });
  afterAll(() => gw.close());

  it('says when clients and templates were reloaded, with what they hold now', async () => {
    await gw.gateway.refreshCatalog();
    const reloads = lines.filter((line) => line.msg === 'catalog reloaded: clients and templates changed');
    expect(reloads.at(-1)).toMatchObject({ level: 30, clients: 1, templates: 1, version: expect.any(Number) });
  });

  it('says when a bind came up, naming the connection and the bind', () => {
    expect(lines.find((line) => line.msg === 'smpp bound')).toMatchObject({ level: 30, smsc: 'simulator', bind: 'transceiver-0' });
  });

  it('writes nothing per message at info', async () => {
    const before = lines.length;
    for (let i = 0; i < 5; i++) {
      const answer = await alice.send(cnMobile(i));
      expect(answer.status).toBe(200);
      await alice.waitFor(answer.json.sms_uid, 'delivered', 10_000);
    }
    const during = lines.slice(before);
    expect(during.filter((line) => 'smsUid' in line || 'sms_uid' in line)).toEqual([]);
    // Once-per-connection news (the receipt id style learned) may come; not a line a message.
    expect(during.length).toBeLessThan(5);
  });
});
