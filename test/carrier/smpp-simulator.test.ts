import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Carrier } from '../../src/carrier/carrier.js';
import { CarrierSubmitError } from '../../src/carrier/carrier.js';
import { createSmppCarrier } from '../../src/carrier/smpp/smpp-carrier.js';
import { startSimulator, type RunningSimulator } from '../../src/carrier/simulator/simulator.js';
import { carrierIdCandidates, normaliseCarrierId } from '../../src/domain/carrier-id.js';
import { ReceiptRecorder, bound, message, silentLogger, testConfig, waitFor } from './helpers.js';

/** The carrier against the built-in simulator over real TCP. */
let sim: RunningSimulator;
let carrier: Carrier;
let recorder: ReceiptRecorder;

beforeEach(async () => {
  sim = await startSimulator({ dlrDelayMs: 50 });
  carrier = createSmppCarrier(testConfig(sim.port), silentLogger);
  recorder = new ReceiptRecorder();
  await carrier.start(recorder.listener);
  await bound(carrier);
});

afterEach(async () => {
  await carrier.stop();
  await sim.close();
});

/** The receipt for a submitted id, matched the way the store matches them. */
function receiptFor(id: string) {
  return () => recorder.receipts.find((r) => carrierIdCandidates(r.carrierMessageId).includes(normaliseCarrierId(id)));
}

describe('SMPP carrier against the simulator', () => {
  it('sends GSM-7 text with data_coding 0 and gets a DELIVRD receipt', async () => {
    const text = 'Code 123456 {ok} €5 @home';
    const { carrierMessageIds } = await carrier.submit(message('+12025550100', text));
    expect(carrierMessageIds).toHaveLength(1);
    const got = await waitFor(() => sim.stats.messages[0]);
    expect(got).toMatchObject({ destination: '12025550100', text, parts: 1, dataCoding: 0 });
    const receipt = await waitFor(receiptFor(carrierMessageIds[0]!));
    expect(receipt).toMatchObject({ state: 'DELIVRD', errorCode: '0' });
  });

  it('sends UCS-2 text with data_coding 8', async () => {
    const text = '您的验证码是 123456 😀';
    await carrier.submit(message('+8613800138000', text));
    const got = await waitFor(() => sim.stats.messages[0]);
    expect(got).toMatchObject({ text, parts: 1, dataCoding: 8 });
  });

  it('splits a long GSM text into 3 concatenated parts and collects every part id', async () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(8); // 360 septets
    const { carrierMessageIds } = await carrier.submit(message('+12025550100', text));
    expect(carrierMessageIds).toHaveLength(3);
    const got = await waitFor(() => sim.stats.messages[0]);
    expect(got).toMatchObject({ text, parts: 3, dataCoding: 0, messageIds: carrierMessageIds });
    for (const id of carrierMessageIds) await waitFor(receiptFor(id));
  });

  it('splits a long UCS-2 text into 3 parts', async () => {
    const text = '验证码'.repeat(60); // 180 code units -> 67 + 67 + 46
    const { carrierMessageIds } = await carrier.submit(message('+8613800138000', text));
    expect(carrierMessageIds).toHaveLength(3);
    const got = await waitFor(() => sim.stats.messages[0]);
    expect(got).toMatchObject({ text, parts: 3, dataCoding: 8 });
  });

  it('matches a decimal receipt id to a hex submit_sm_resp id', async () => {
    const { carrierMessageIds } = await carrier.submit(message('+12025550111'));
    const id = carrierMessageIds[0]!;
    const receipt = await waitFor(receiptFor(id));
    expect(receipt.carrierMessageId).toBe(BigInt(`0x${id}`).toString(10));
    expect(receipt.carrierMessageId).not.toBe(id);
  });

  it('passes on a receipt that arrives before the submit_sm_resp', async () => {
    const { carrierMessageIds } = await carrier.submit(message('+12025550110'));
    // The simulator answers the submit only after the receipt was acknowledged.
    expect(recorder.receipts.map((r) => r.carrierMessageId)).toContain(carrierMessageIds[0]);
  });

  it.each([
    ['+12025550104', 'UNDELIV'],
    ['+12025550105', 'EXPIRED'],
    ['+12025550106', 'REJECTD'],
  ])('reports the failure receipt for %s as %s', async (number, state) => {
    const { carrierMessageIds } = await carrier.submit(message(number));
    const receipt = await waitFor(receiptFor(carrierMessageIds[0]!));
    expect(receipt.state).toBe(state);
    expect(receipt.errorCode).not.toBe('0');
  });

  it('rejects permanently with the command_status as the carrier code', async () => {
    const error = await carrier.submit(message('+12025550103')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CarrierSubmitError);
    expect(error).toMatchObject({ kind: 'permanent', carrierCode: '11' });
  });

  it.each([
    ['+12025550101', String(0x58)],
    ['+12025550102', String(0x14)],
  ])('asks for a retry when %s is throttled, and the retry goes through', async (number, code) => {
    const error = await carrier.submit(message(number)).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'retry', carrierCode: code });
    const { carrierMessageIds } = await carrier.submit(message(number));
    expect(carrierMessageIds).toHaveLength(1);
    expect(sim.stats.submitsByDestination.get(number.slice(1))).toBe(2);
  });

  it('sends the validity period, and the SMSC expires a held message when it runs out', async () => {
    const { carrierMessageIds } = await carrier.submit(message('+12025550109', 'held', 700));
    const receipt = await waitFor(receiptFor(carrierMessageIds[0]!), 3000);
    expect(receipt.state).toBe('EXPIRED');
  });

  it('asks for a retry when the SMSC never answers', async () => {
    const started = Date.now();
    const error = await carrier.submit(message('+12025550108')).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'retry', carrierCode: 'TIMEOUT' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });
});
