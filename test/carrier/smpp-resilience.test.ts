import { afterEach, describe, expect, it } from 'vitest';
import type { Carrier, DeliveryReceipt } from '../../src/carrier/carrier.js';
import { createSmppCarrier } from '../../src/carrier/smpp/smpp-carrier.js';
import { carrierIdCandidates, normaliseCarrierId } from '../../src/domain/carrier-id.js';
import { MinimalSmsc } from './minimal-smsc.js';
import { ReceiptRecorder, bound, message, silentLogger, testConfig, waitFor } from './helpers.js';

/** Drops, silences, early receipts and acknowledgements, against an SMSC that is not ours. */
let smsc: MinimalSmsc;
let carrier: Carrier;
let recorder: ReceiptRecorder;

afterEach(async () => {
  await carrier?.stop();
  await smsc?.close();
});

async function setUp(extra: Record<string, unknown> = {}): Promise<void> {
  smsc = await MinimalSmsc.start();
  recorder = new ReceiptRecorder();
  carrier = createSmppCarrier(testConfig(smsc.port, extra), silentLogger);
  await carrier.start(recorder.listener);
  await bound(carrier);
}

describe('connection drop', () => {
  it('resends the unanswered submits on a new session and loses none', async () => {
    await setUp({ window: 10 });
    const first = () => smsc.sessions[0];
    smsc.onSubmit = (ctx) => {
      // The first session answers nothing and dies after five submits.
      if (ctx.session === first()) {
        if (smsc.submits.filter((s) => s.session === first()).length === 5) ctx.session.destroy();
        return;
      }
      ctx.respond({ message_id: `ok-${ctx.pdu.destination_addr}` });
    };
    const destinations = ['+442079460001', '+442079460002', '+442079460003', '+442079460004', '+442079460005'];
    const results = await Promise.all(destinations.map((d) => carrier.submit(message(d))));
    expect(results.map((r) => r.carrierMessageIds[0])).toEqual(destinations.map((d) => `ok-${d.slice(1)}`));
    expect(smsc.binds).toBe(2);
    const resent = smsc.submits.filter((s) => s.session !== first()).map((s) => s.pdu.destination_addr);
    expect(resent.sort()).toEqual(destinations.map((d) => d.slice(1)));
  });

  it('reconnects when the SMSC stops answering enquire_link', async () => {
    await setUp({ enquire_link_interval_ms: 100, response_timeout_ms: 200 });
    smsc.answerEnquireLink = false;
    await waitFor(() => smsc.binds >= 2 || undefined, 3000, 'a second bind');
  });

  it('rebinds after the SMSC unbinds', async () => {
    await setUp();
    await new Promise((resolve) => smsc.sessions[0]!.unbind({}, resolve));
    await waitFor(() => smsc.binds >= 2 || undefined, 3000, 'a second bind');
    await bound(carrier);
    await expect(carrier.submit(message('+442079460001'))).resolves.toBeDefined();
  });

  it('accepts nothing while no bind is up, quickly and without crashing', async () => {
    smsc = await MinimalSmsc.start();
    const port = smsc.port;
    await smsc.close(); // nothing listens there now: every connect is refused
    carrier = createSmppCarrier(testConfig(port), silentLogger);
    await carrier.start(async () => undefined);
    await new Promise((r) => setTimeout(r, 200)); // a few refused reconnects
    expect(carrier.capacity()).toBe(0);
    const started = Date.now();
    await expect(carrier.submit(message('+442079460001'))).rejects.toMatchObject({ kind: 'retry' });
    expect(Date.now() - started).toBeLessThan(100);
  });
});

describe('throttling', () => {
  it('asks for a retry on ESME_RTHROTTLED and pauses the bind', async () => {
    await setUp({ throttled_pause_ms: 300 });
    smsc.onSubmit = (ctx) =>
      smsc.submits.length === 1 ? ctx.respond({ command_status: 0x58 }) : ctx.respond({ message_id: 'ok' });
    await expect(carrier.submit(message('+442079460001'))).rejects.toMatchObject({ kind: 'retry', carrierCode: '88' });
    await carrier.submit(message('+442079460001'));
    expect(smsc.submits[1]!.at - smsc.submits[0]!.at).toBeGreaterThanOrEqual(290);
  });
});

describe('receipts', () => {
  const receipt = (id: string, extra: Record<string, unknown> = {}) => ({
    source_addr: '442079460001',
    esm_class: 0x04,
    data_coding: 0,
    short_message: `id:${id} sub:001 dlvrd:001 submit date:2501010000 done date:2501010000 stat:DELIVRD err:000 text:`,
    ...extra,
  });

  it('passes on a receipt sent before the submit_sm_resp, with a decimal id in text only', async () => {
    await setUp();
    const hexId = '1a2b3c4d';
    smsc.onSubmit = (ctx) => {
      void smsc.deliver(receipt(BigInt(`0x${hexId}`).toString(10))).then(() => ctx.respond({ message_id: hexId }));
    };
    const { carrierMessageIds } = await carrier.submit(message('+442079460001'));
    expect(carrierMessageIds).toEqual([hexId]);
    expect(recorder.receipts).toHaveLength(1);
    const got = recorder.receipts[0]!;
    expect(got).toMatchObject({ state: 'DELIVRD', errorCode: '0' });
    expect(carrierIdCandidates(got.carrierMessageId)).toContain(normaliseCarrierId(hexId));
  });

  it('prefers the receipted_message_id TLV over the text', async () => {
    await setUp();
    await smsc.deliver(receipt('999', { receipted_message_id: 'abc123', message_state: 5 }));
    expect(recorder.receipts[0]).toMatchObject({ carrierMessageId: 'abc123', state: 'DELIVRD' });
  });

  it('answers deliver_sm only after the listener settled, and non-zero when it failed', async () => {
    await setUp();
    let release: (() => void) | undefined;
    let fail = false;
    recorder.handle = (r: DeliveryReceipt) =>
      new Promise<void>((resolve, reject) => {
        recorder.receipts.push(r);
        release = fail ? () => reject(new Error('store down')) : resolve;
      });
    let answered = false;
    const resp = smsc.deliver(receipt('1')).then((pdu) => ((answered = true), pdu));
    await waitFor(() => release);
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    release!();
    expect((await resp).command_status).toBe(0);

    fail = true;
    release = undefined;
    const refused = smsc.deliver(receipt('2'));
    await waitFor(() => release);
    release!();
    expect((await refused).command_status).not.toBe(0);
  });

  it('acknowledges a mobile-originated deliver_sm without calling the listener', async () => {
    await setUp();
    const resp = await smsc.deliver({ source_addr: '442079460001', esm_class: 0, data_coding: 0, short_message: 'hello' });
    expect(resp.command_status).toBe(0);
    expect(recorder.receipts).toHaveLength(0);
  });
});
