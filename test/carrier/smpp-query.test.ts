import smpp, { type PDU, type Session } from 'smpp';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmppCarrier, type SmppCarrier } from '../../src/carrier/smpp/smpp-carrier.js';
import { MinimalSmsc } from './minimal-smsc.js';
import { ReceiptRecorder, bound, silentLogger, testConfig, waitFor } from './helpers.js';

/** query_sm against an SMSC that is not our simulator: answers, refusals, and the rate cap. */
let smsc: MinimalSmsc;
let carrier: SmppCarrier;

afterEach(async () => {
  await carrier?.stop();
  await smsc?.close();
});

async function setUp(extra: Record<string, unknown> = {}): Promise<void> {
  smsc = await MinimalSmsc.start();
  carrier = createSmppCarrier(testConfig(smsc.port, extra), silentLogger);
  await carrier.start(new ReceiptRecorder().listener);
  const binds = (extra.binds as number | undefined) ?? 1;
  await waitFor(() => smsc.binds === binds || undefined);
  await waitFor(() => carrier.bindStates().every((b) => b.status === 'bound') || undefined);
}

const answer = (fields: Record<string, unknown>) => (pdu: PDU, session: Session) => session.send(pdu.response(fields));
const nack = (pdu: PDU, session: Session) =>
  session.send(new smpp.PDU('generic_nack', { sequence_number: pdu.sequence_number, command_status: smpp.errors.ESME_RINVCMDID }));
const query = { carrierMessageId: '1a2b', connection: 'test', phoneNumber: '+442079460001' };

describe('queryMessage', () => {
  it('sends query_sm with the id and the source address as submitted, and reads message_state as a receipt state', async () => {
    await setUp({ source_addr: 'ACME', source_addr_ton: 5, source_addr_npi: 0 });
    smsc.onQuery = answer({ message_id: '1a2b', final_date: '', message_state: 2, error_code: 0 });
    await expect(carrier.queryMessage(query)).resolves.toEqual({ state: 'DELIVRD', errorCode: '0' });
    expect(smsc.queries[0]!.pdu).toMatchObject({ message_id: '1a2b', source_addr: 'ACME', source_addr_ton: 5, source_addr_npi: 0 });
  });

  it.each([
    [1, 'ENROUTE'],
    [3, 'EXPIRED'],
    [4, 'DELETED'],
    [5, 'UNDELIV'],
    [6, 'ACCEPTD'],
    [7, 'UNKNOWN'],
    [8, 'REJECTD'],
  ])('reads message_state %i as %s, with its error_code', async (messageState, state) => {
    await setUp();
    smsc.onQuery = answer({ message_id: '1a2b', final_date: '', message_state: messageState, error_code: 12 });
    await expect(carrier.queryMessage(query)).resolves.toEqual({ state, errorCode: '12' });
  });

  it('routes by the phone number when no connection is given', async () => {
    await setUp();
    smsc.onQuery = answer({ message_id: '1a2b', final_date: '', message_state: 2, error_code: 0 });
    await expect(carrier.queryMessage({ carrierMessageId: '1a2b', phoneNumber: '+15550100' })).resolves.toMatchObject({ state: 'DELIVRD' });
  });

  it('says unknown when the SMSC does not know the id, or for a connection not configured', async () => {
    await setUp();
    smsc.onQuery = answer({ command_status: smpp.errors.ESME_RQUERYFAIL });
    await expect(carrier.queryMessage(query)).resolves.toBe('unknown');
    await expect(carrier.queryMessage({ ...query, connection: 'gone' })).resolves.toBe('unknown');
    expect(smsc.queries).toHaveLength(1);
  });

  it('stops asking a bind whose SMSC answered generic_nack', async () => {
    await setUp();
    smsc.onQuery = nack;
    await expect(carrier.queryMessage(query)).resolves.toBe('unsupported');
    await expect(carrier.queryMessage(query)).resolves.toBe('unsupported');
    expect(smsc.queries).toHaveLength(1);
  });

  it('asks the other bind when one answers ESME_RINVCMDID, and neither again once both did', async () => {
    await setUp({ binds: 2 });
    let refusing: Session | undefined; // whichever bind is asked first
    smsc.onQuery = (pdu, session) =>
      (refusing ??= session) === session
        ? session.send(pdu.response({ command_status: smpp.errors.ESME_RINVCMDID }))
        : answer({ message_id: '1a2b', final_date: '', message_state: 2, error_code: 0 })(pdu, session);
    for (let i = 0; i < 3; i++) await expect(carrier.queryMessage(query)).resolves.toMatchObject({ state: 'DELIVRD' });
    expect(smsc.queries.filter((q) => q.session === refusing)).toHaveLength(1);

    smsc.onQuery = (pdu, session) => session.send(pdu.response({ command_status: smpp.errors.ESME_RINVCMDID }));
    await expect(carrier.queryMessage(query)).resolves.toBe('unsupported');
    const asked = smsc.queries.length;
    await expect(carrier.queryMessage(query)).resolves.toBe('unsupported');
    expect(smsc.queries).toHaveLength(asked);
  });

  it('sends at most query_sm_per_second in any second, and turns away what would wait past the response timeout', async () => {
    await setUp({ query_sm_per_second: 5, response_timeout_ms: 2000 });
    smsc.onQuery = answer({ message_id: '1a2b', final_date: '', message_state: 2, error_code: 0 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => carrier.queryMessage(query)));
    // Waits of 0, 1 and 2 s fit in the 2 s response timeout: three seconds' worth, 15 queries.
    expect(answers.filter((a) => a === 'unavailable')).toHaveLength(5);
    expect(smsc.queries).toHaveLength(15);
    const times = smsc.queries.map((q) => q.at);
    const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 950).length));
    expect(busiest).toBeLessThanOrEqual(5);
  });

  it('sends nothing with query_sm_per_second 0, and says unavailable while no bind is up', async () => {
    await setUp({ query_sm_per_second: 0 });
    await expect(carrier.queryMessage(query)).resolves.toBe('unsupported');
    expect(smsc.queries).toHaveLength(0);
    await carrier.stop();
    await smsc.close();

    smsc = await MinimalSmsc.start();
    const port = smsc.port;
    await smsc.close();
    carrier = createSmppCarrier(testConfig(port), silentLogger);
    await carrier.start(async () => undefined);
    await expect(carrier.queryMessage(query)).resolves.toBe('unavailable');
  });

  it('says unavailable when the SMSC does not answer within the response timeout', async () => {
    await setUp({ response_timeout_ms: 200 });
    smsc.onQuery = undefined;
    await expect(carrier.queryMessage(query)).resolves.toBe('unavailable');
    await bound(carrier);
  });

  it('answers a query in flight with unavailable when the carrier stops', async () => {
    await setUp({ response_timeout_ms: 10_000 });
    smsc.onQuery = undefined;
    const asked = carrier.queryMessage(query);
    await waitFor(() => smsc.queries.length === 1 || undefined);
    const started = Date.now();
    await carrier.stop();
    await expect(asked).resolves.toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
