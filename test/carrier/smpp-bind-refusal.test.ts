import smpp from 'smpp';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmppCarrier, type SmppCarrier } from '../../src/carrier/smpp/smpp-carrier.js';
import { MinimalSmsc } from './minimal-smsc.js';
import { ReceiptRecorder, bound, testConfig, waitFor } from './helpers.js';
import { capturingLogger } from './log-capture.js';

/** Issue 12 item 5: a refused bind says why, waits reconnect_max_ms, and its state is readable. */
let smsc: MinimalSmsc;
let carrier: SmppCarrier;

afterEach(async () => {
  await carrier?.stop();
  await smsc?.close();
});

describe('a bind refused for its credentials', () => {
  it('is logged by status name with connection and host, kept as refused, and retried after reconnect_max_ms', async () => {
    smsc = await MinimalSmsc.start();
    smsc.bindStatus = smpp.errors.ESME_RINVPASWD!;
    const { logger, lines } = capturingLogger();
    carrier = createSmppCarrier(testConfig(smsc.port, { reconnect_initial_ms: 10, reconnect_max_ms: 600 }), logger);
    const started = Date.now();
    await carrier.start(new ReceiptRecorder().listener);
    await waitFor(() => carrier.bindStates()[0]?.status === 'refused' || undefined, 3000, 'a refusal');

    const [state] = carrier.bindStates();
    expect(state).toMatchObject({ connection: 'test', bind: 'transceiver-0', host: '127.0.0.1', status: 'refused', reason: 'ESME_RINVPASWD' });
    expect(state!.since).toBeGreaterThanOrEqual(started);
    const refusals = lines.filter((l) => l.commandStatus === 'ESME_RINVPASWD');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ level: 50, connection: 'test', host: '127.0.0.1', port: smsc.port });
    expect(refusals[0]!.msg).toContain('ESME_RINVPASWD');
    expect(lines.some((l) => 'password' in l)).toBe(false);

    // Not knocking again at reconnect_initial_ms: the next bind comes after reconnect_max_ms.
    await waitFor(() => smsc.binds >= 2 || undefined, 3000, 'a second bind attempt');
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    // Refused the same way again: still refused since the first time.
    await new Promise((r) => setTimeout(r, 50));
    expect(carrier.bindStates()[0]).toMatchObject({ status: 'refused', since: state!.since });

    // The account is fixed: the next bind comes up and the state says so.
    smsc.bindStatus = 0;
    await bound(carrier, 3000);
    expect(carrier.bindStates()[0]).toMatchObject({ status: 'bound' });
    expect(carrier.bindStates()[0]).not.toHaveProperty('reason');
  });

  it('keeps connecting, with the socket error as reason, while nothing listens', async () => {
    smsc = await MinimalSmsc.start();
    const port = smsc.port;
    await smsc.close();
    const { logger } = capturingLogger();
    carrier = createSmppCarrier(testConfig(port), logger);
    await carrier.start(new ReceiptRecorder().listener);
    await waitFor(() => carrier.bindStates()[0]?.reason?.includes('ECONNREFUSED') || undefined, 3000, 'a refused connect');
    expect(carrier.bindStates()[0]).toMatchObject({ status: 'connecting' });
    await carrier.stop();
    expect(carrier.bindStates()[0]).toMatchObject({ status: 'stopped' });
  });
});
