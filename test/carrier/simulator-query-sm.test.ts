import { afterEach, describe, expect, it } from 'vitest';
import smpp from 'smpp';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/carrier/simulator/simulator.js';
import { createSmppCarrier, type SmppCarrier } from '../../src/carrier/smpp/smpp-carrier.js';
import { ReceiptRecorder, bound, message, silentLogger, testConfig, waitFor } from './helpers.js';
import { RawEsme } from './raw-esme.js';

/** query_sm against the simulator over real SMPP, and its option to lose receipts. */
const E = smpp.errors as Record<string, number>;
let sim: RunningSimulator | undefined;
let esme: RawEsme | undefined;

afterEach(async () => {
  esme?.close();
  await sim?.close();
  esme = undefined;
  sim = undefined;
});

async function start(options: SimulatorOptions): Promise<RawEsme> {
  sim = await startSimulator(options);
  esme = await RawEsme.bind(sim.port);
  return esme;
}

const destination = (n: number): string => `4479461${String(n).padStart(5, '0')}`;

describe('simulator query_sm', () => {
  it('drops the share of receipts asked for, yet answers query_sm DELIVERED for every message', async () => {
    const client = await start({ dropReceipts: 0.3, dlrDelayMs: 20, idStyle: 'dec', firstMessageId: 1 });
    const ids: string[] = [];
    for (let n = 1; n <= 20; n += 1) ids.push(await client.submit(destination(n)));
    await waitFor(() => client.receipts.length === 14 || undefined, 5000, '14 receipts');
    await new Promise((r) => setTimeout(r, 100)); // no more come
    expect(client.receipts).toHaveLength(14);
    expect(sim!.stats.receiptsDropped).toBe(6);
    for (const id of ids) {
      const resp = await client.query(id);
      expect(resp.command).toBe('query_sm_resp');
      expect(resp).toMatchObject({ command_status: 0, message_id: id, message_state: 2, error_code: 0 });
      expect(resp.final_date).toBeInstanceOf(Date);
    }
    expect(sim!.stats.queries).toBe(20);
  });

  it('answers ENROUTE without a final date until the outcome is due', async () => {
    const client = await start({ dlrDelayMs: 60_000 });
    const id = await client.submit(destination(1));
    const resp = await client.query(id);
    expect(resp).toMatchObject({ command_status: 0, message_id: id, message_state: 1, error_code: 0 });
    expect(resp.final_date).toBeFalsy();
  });

  it('answers the outcome of a failed message with its network error code', async () => {
    const client = await start({ dlrDelayMs: 0, dropReceipts: 1 });
    const id = await client.submit('12025550104'); // undeliverable
    const resp = await client.query(id);
    expect(resp).toMatchObject({ command_status: 0, message_state: 5, error_code: 1 });
    expect(client.receipts).toHaveLength(0);
  });

  it('reads the queried id as submit_sm_resp wrote it, whatever the receipt says', async () => {
    const client = await start({ dlrDelayMs: 0, idStyle: 'dec-in-answer-hex-in-receipt', firstMessageId: 16 });
    expect(await client.submit(destination(1))).toBe('16');
    expect(await client.query('16')).toMatchObject({ command_status: 0, message_state: 2 });
    // `10`, the receipt's form, is message 10, which this SMSC never accepted.
    expect(await client.query('10')).toMatchObject({ command: 'query_sm_resp', command_status: E.ESME_RINVMSGID });
  });

  it('answers ESME_RINVMSGID for an id it does not know', async () => {
    const client = await start({ dlrDelayMs: 0 });
    expect(await client.query('abcdef')).toMatchObject({ command: 'query_sm_resp', command_status: E.ESME_RINVMSGID });
    expect(await client.query('not an id')).toMatchObject({ command_status: E.ESME_RINVMSGID });
  });

  it('can answer query_sm as an SMSC without it: generic_nack or ESME_RINVCMDID', async () => {
    let client = await start({ dlrDelayMs: 0, querySm: 'generic_nack' });
    let id = await client.submit(destination(1));
    expect(await client.query(id)).toMatchObject({ command: 'generic_nack', command_status: E.ESME_RINVCMDID });
    client.close();
    await sim!.close();

    client = await start({ dlrDelayMs: 0, querySm: 'invalid_command' });
    id = await client.submit(destination(1));
    expect(await client.query(id)).toMatchObject({ command: 'query_sm_resp', command_status: E.ESME_RINVCMDID });
  });
});

/** The gateway's own SMPP client asking the simulator, as the sweep for lost receipts will. */
describe('the SMPP carrier querying the simulator', () => {
  let carrier: SmppCarrier | undefined;
  afterEach(async () => {
    await carrier?.stop();
    carrier = undefined;
  });

  it('finishes through query_sm every message whose receipt the simulator dropped', async () => {
    sim = await startSimulator({ dropReceipts: 0.3, dlrDelayMs: 20, idStyle: 'dec-in-answer-hex-in-receipt', firstMessageId: 1 });
    carrier = createSmppCarrier(testConfig(sim.port), silentLogger);
    const recorder = new ReceiptRecorder();
    await carrier.start(recorder.listener);
    await bound(carrier);
    const submitted = [];
    for (let n = 1; n <= 20; n += 1) {
      const phoneNumber = `+${destination(n)}`;
      submitted.push({ phoneNumber, ...(await carrier.submit(message(phoneNumber))) });
    }
    await waitFor(() => recorder.receipts.length === 14 || undefined, 5000, '14 receipts');
    const withReceipt = new Set(recorder.receipts.map((r) => BigInt(`0x${r.carrierMessageId}`).toString(10)));
    const lost = submitted.filter((s) => !withReceipt.has(s.carrierMessageIds[0]!));
    expect(lost).toHaveLength(6);
    for (const s of lost) {
      const query = { carrierMessageId: s.carrierMessageIds[0]!, connection: s.connection, phoneNumber: s.phoneNumber };
      await expect(carrier.queryMessage(query)).resolves.toEqual({ state: 'DELIVRD', errorCode: '0' });
    }
  });

  it('is told `unsupported` by a simulator that answers query_sm with generic_nack', async () => {
    sim = await startSimulator({ dlrDelayMs: 0, querySm: 'generic_nack' });
    carrier = createSmppCarrier(testConfig(sim.port), silentLogger);
    await carrier.start(new ReceiptRecorder().listener);
    await bound(carrier);
    const phoneNumber = `+${destination(1)}`;
    const { carrierMessageIds, connection } = await carrier.submit(message(phoneNumber));
    await expect(carrier.queryMessage({ carrierMessageId: carrierMessageIds[0]!, connection, phoneNumber })).resolves.toBe('unsupported');
  });
});
