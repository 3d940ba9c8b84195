import { afterEach, describe, expect, it } from 'vitest';
import { createSmppCarrier, type SmppCarrier } from '../../src/carrier/smpp/smpp-carrier.js';
import { parseCarrierConfig } from '../../src/carrier/smpp/smpp-config.js';
import { MinimalSmsc } from './minimal-smsc.js';
import { ReceiptRecorder, message, silentLogger, waitFor } from './helpers.js';

/** Receipt id styles are learned per connection, so submits and receipts say which one they used. */
let smscs: MinimalSmsc[] = [];
let carrier: SmppCarrier | undefined;

afterEach(async () => {
  await carrier?.stop();
  await Promise.all(smscs.map((s) => s.close()));
  smscs = [];
});

const connection = (name: string, port: number, extra: Record<string, unknown> = {}) => ({
  name,
  host: '127.0.0.1',
  port,
  system_id: 'smsgate',
  password: 'smsgate',
  response_timeout_ms: 2000,
  reconnect_initial_ms: 50,
  reconnect_max_ms: 200,
  ...extra,
});

const receipt = (id: string) => ({
  source_addr: '442079460001',
  esm_class: 0x04,
  data_coding: 0,
  short_message: `id:${id} sub:001 dlvrd:001 submit date:2501010000 done date:2501010000 stat:DELIVRD err:000 text:`,
});

describe('connection identity', () => {
  it('names the connection on every submit result and every receipt', async () => {
    const [main, uk] = (smscs = [await MinimalSmsc.start(), await MinimalSmsc.start()]);
    const recorder = new ReceiptRecorder();
    const config = parseCarrierConfig({ connections: [connection('main', main!.port), connection('uk', uk!.port, { prefixes: ['+44'] })] });
    carrier = createSmppCarrier(config, silentLogger);
    await carrier.start(recorder.listener);
    await waitFor(() => carrier!.bindStates().every((b) => b.status === 'bound') || undefined);
    expect(carrier.bindStates().map((b) => b.connection).sort()).toEqual(['main', 'uk']);

    await expect(carrier.submit(message('+442079460001'))).resolves.toMatchObject({ connection: 'uk' });
    await expect(carrier.submit(message('+15550100'))).resolves.toMatchObject({ connection: 'main' });

    await uk!.deliver(receipt('10'));
    await main!.deliver(receipt('10'));
    expect(recorder.receipts).toEqual([
      { carrierMessageId: '10', state: 'DELIVRD', errorCode: '0', connection: 'uk' },
      { carrierMessageId: '10', state: 'DELIVRD', errorCode: '0', connection: 'main' },
    ]);
  });
});
