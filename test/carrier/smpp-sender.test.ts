import { afterEach, describe, expect, it } from 'vitest';
import type { Carrier } from '../../src/carrier/carrier.js';
import { createSmppCarrier } from '../../src/carrier/smpp/smpp-carrier.js';
import { parseSender } from '../../src/domain/sender.js';
import { MinimalSmsc } from './minimal-smsc.js';
import { ReceiptRecorder, bound, message, silentLogger, testConfig } from './helpers.js';

let smsc: MinimalSmsc | undefined;
let carrier: Carrier | undefined;

afterEach(async () => {
  await carrier?.stop();
  await smsc?.close();
  carrier = undefined;
  smsc = undefined;
});

describe("a client's sender on the wire", () => {
  it('goes out as source_addr with the TON of its form; without one, the connection’s own', async () => {
    smsc = await MinimalSmsc.start();
    carrier = createSmppCarrier(testConfig(smsc.port, { source_addr: 'GATEWAY' }), silentLogger);
    await carrier.start(new ReceiptRecorder().listener);
    await bound(carrier);
    await carrier.submit({ ...message('+442079460001'), sender: parseSender('COOKPAD') });
    await carrier.submit({ ...message('+442079460002'), sender: parseSender('+8613800138000') });
    await carrier.submit({ ...message('+442079460003'), sender: parseSender('10690') });
    await carrier.submit(message('+442079460004'));
    const sent = smsc.submits.map(({ pdu }) => [pdu.source_addr, pdu.source_addr_ton, pdu.source_addr_npi]);
    expect(sent.slice(0, 3)).toEqual([
      ['COOKPAD', 5, 0],
      ['8613800138000', 1, 1],
      ['10690', 3, 0],
    ]);
    expect(sent[3]![0]).toBe('GATEWAY');
  });
});
