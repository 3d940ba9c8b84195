import smpp, { type PDU } from 'smpp';
import { afterEach, describe, expect, it } from 'vitest';
import type { Carrier } from '../../src/carrier/carrier.js';
import { createSmppCarrier } from '../../src/carrier/smpp/smpp-carrier.js';
import { MinimalSmsc } from './minimal-smsc.js';
import { ReceiptRecorder, bound, message, silentLogger, testConfig } from './helpers.js';

/** Issue 12 item 3: a long message whose one part got a retry answer. */
let smsc: MinimalSmsc;
let carrier: Carrier;

afterEach(async () => {
  await carrier?.stop();
  await smsc?.close();
});

async function setUp(): Promise<void> {
  smsc = await MinimalSmsc.start();
  carrier = createSmppCarrier(testConfig(smsc.port, { throttled_pause_ms: 0 }), silentLogger);
  await carrier.start(new ReceiptRecorder().listener);
  await bound(carrier);
}

/** The 8-bit concatenation IE of a submit: reference, part count, part number. */
function concat(pdu: PDU): { ref: number; seq: number } {
  const ie = (pdu.short_message as { udh: Buffer[] }).udh.find((b) => b[0] === 0x00)!;
  return { ref: ie[2]!, seq: ie[4]! };
}

const LONG = 'x'.repeat(400); // three GSM parts

describe('a long message after one part was throttled', () => {
  it('sends only that part again, with the same concatenation reference', async () => {
    await setUp();
    let throttleOnce = true;
    smsc.onSubmit = (ctx) => {
      if (concat(ctx.pdu).seq === 2 && throttleOnce) {
        throttleOnce = false;
        ctx.respond({ command_status: smpp.errors.ESME_RTHROTTLED });
      } else ctx.respond({ message_id: `id-${smsc.submits.length}` });
    };
    const msg = message('+442079460001', LONG);
    await expect(carrier.submit(msg)).rejects.toMatchObject({ kind: 'retry' });
    const result = await carrier.submit(msg);

    const parts = smsc.submits.map((s) => concat(s.pdu));
    const perPart = [1, 2, 3].map((seq) => parts.filter((p) => p.seq === seq).length);
    expect(perPart).toEqual([1, 2, 1]);
    expect(new Set(parts.map((p) => p.ref)).size).toBe(1);
    expect(result.carrierMessageIds).toHaveLength(3);
    expect(result.carrierMessageIds[1]).toBe('id-4');
    expect(new Set(result.carrierMessageIds).size).toBe(3);
    expect(result.connection).toBe('test');

    // Another message is whole and new: every part once, under a reference of its own.
    const before = smsc.submits.length;
    await carrier.submit(message('+442079460001', LONG));
    const next = smsc.submits.slice(before).map((s) => concat(s.pdu));
    expect(next.map((p) => p.seq).sort()).toEqual([1, 2, 3]);
    expect(next[0]!.ref).not.toBe(parts[0]!.ref);
  });

  it('sends the whole message again when no part was accepted', async () => {
    await setUp();
    let throttle = 3;
    smsc.onSubmit = (ctx) =>
      throttle-- > 0 ? ctx.respond({ command_status: smpp.errors.ESME_RTHROTTLED }) : ctx.respond({ message_id: `id-${smsc.submits.length}` });
    const msg = message('+442079460001', LONG);
    await expect(carrier.submit(msg)).rejects.toMatchObject({ kind: 'retry' });
    await carrier.submit(msg);
    const perPart = [1, 2, 3].map((seq) => smsc.submits.filter((s) => concat(s.pdu).seq === seq).length);
    expect(perPart).toEqual([2, 2, 2]);
  });

  it('fails the message on a permanent refusal of a part and keeps nothing for a retry', async () => {
    await setUp();
    smsc.onSubmit = (ctx) =>
      concat(ctx.pdu).seq === 3
        ? ctx.respond({ command_status: smpp.errors.ESME_RINVDSTADR })
        : ctx.respond({ message_id: `id-${smsc.submits.length}` });
    const msg = message('+442079460001', LONG);
    await expect(carrier.submit(msg)).rejects.toMatchObject({ kind: 'permanent', carrierCode: String(smpp.errors.ESME_RINVDSTADR) });
    smsc.onSubmit = (ctx) => ctx.respond({ message_id: `id-${smsc.submits.length}` });
    await carrier.submit(msg);
    expect(smsc.submits).toHaveLength(6);
  });
});
