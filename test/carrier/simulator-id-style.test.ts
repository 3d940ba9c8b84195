import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/carrier/simulator/simulator.js';
import type { SimulatorIdStyle } from '../../src/carrier/simulator/id-style.js';
import {
  UNKNOWN_STYLE,
  decideReceipt,
  receiptIdCandidates,
  resolveHeld,
  type IdStyleState,
  type ReceiptDecision,
} from '../../src/domain/receipt-id-style.js';
import { normaliseCarrierId } from '../../src/domain/carrier-id.js';
import { waitFor } from './helpers.js';
import { RawEsme } from './raw-esme.js';

/** The simulator's id styles over real SMPP, ids counting from 1. */
let sim: RunningSimulator | undefined;
let esme: RawEsme | undefined;

afterEach(async () => {
  esme?.close();
  await sim?.close();
  esme = undefined;
  sim = undefined;
});

const destination = (n: number): string => `4479460${String(n).padStart(5, '0')}`;

async function submitAll(style: SimulatorIdStyle, count: number, dlrDelayMs = 0): Promise<string[]> {
  sim = await startSimulator({ idStyle: style, firstMessageId: 1, dlrDelayMs });
  esme = await RawEsme.bind(sim.port);
  const ids: string[] = [];
  for (let n = 1; n <= count; n += 1) ids.push(await esme.submit(destination(n)));
  return ids;
}

describe('simulator id styles', () => {
  const cases: [SimulatorIdStyle, (n: number) => string, (n: number) => string][] = [
    ['hex', (n) => n.toString(16), (n) => n.toString(16)],
    ['dec', (n) => String(n), (n) => String(n)],
    ['dec-in-answer-hex-in-receipt', (n) => String(n), (n) => n.toString(16)],
  ];
  for (const [style, answered, inReceipt] of cases) {
    it(`answers and receipts ids from 1 in the ${style} style`, async () => {
      const ids = await submitAll(style, 20);
      expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => answered(i + 1)));
      await waitFor(() => esme!.receipts.length === 20 || undefined, 5000, '20 receipts');
      for (let n = 1; n <= 20; n += 1) {
        const receipt = esme!.receiptFrom(destination(n))!;
        expect(receipt.receipted_message_id).toBe(inReceipt(n));
        expect(String((receipt.short_message as { message?: unknown }).message)).toContain(`id:${inReceipt(n)} `);
      }
    });
  }

  it('still writes the receipt id in decimal for the decimal_receipt test number', async () => {
    sim = await startSimulator({ idStyle: 'hex', firstMessageId: 26, dlrDelayMs: 0 });
    esme = await RawEsme.bind(sim.port);
    expect(await esme.submit('12025550111')).toBe('1a');
    const receipt = await waitFor(() => esme!.receiptFrom('12025550111'));
    expect(receipt.receipted_message_id).toBe('26');
  });

  it('starts from a clock-based id by default, so ids stay unique across restarts', async () => {
    sim = await startSimulator({ idStyle: 'dec', dlrDelayMs: 0 });
    esme = await RawEsme.bind(sim.port);
    expect(BigInt(await esme.submit(destination(1)))).toBeGreaterThan(BigInt(Date.now() - 60_000) * 1000n);
  });

  it('refuses a first id that is not a whole number', async () => {
    await expect(startSimulator({ firstMessageId: -1 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(startSimulator({ firstMessageId: 1.5 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});

/**
 * The ambiguous case the id styles exist for: 200 messages from id 1, every receipt matched with
 * the domain rule the way a store does it. Each must land on its own message.
 */
describe('receipt matching against the simulator', () => {
  for (const style of ['hex', 'dec', 'dec-in-answer-hex-in-receipt'] as const) {
    it(`matches every receipt to its own message (${style})`, async () => {
      const ids = await submitAll(style, 200);
      const messages = new Map(ids.map((id, i) => [normaliseCarrierId(id), { destination: destination(i + 1), delivered: false }]));
      await waitFor(() => esme!.receipts.length === 200 || undefined, 10_000, '200 receipts');
      const lookUp = (receiptId: string) =>
        receiptIdCandidates(receiptId).map((c) => {
          const message = messages.get(c.carrierId);
          return { ...c, matches: message ? [{ status: message.delivered ? ('delivered' as const) : ('sent' as const), onConnection: true }] : [] };
        });
      const wrong: string[] = [];
      const apply = (from: string, decision: ReceiptDecision): void => {
        if (decision.action !== 'apply') return;
        const message = messages.get(decision.carrierId)!;
        if (message.destination !== from) wrong.push(`receipt from ${from} applied to ${message.destination}`);
        message.delivered = true;
      };
      let state: IdStyleState = UNKNOWN_STYLE;
      let held: { from: string; id: string; until: number }[] = [];
      const now = Date.now();
      for (const receipt of esme!.receipts) {
        const id = String(receipt.receipted_message_id);
        const decision = decideReceipt(state, lookUp(id), now);
        state = decision.state;
        if (decision.action === 'hold') held.push({ from: String(receipt.source_addr), id, until: decision.until });
        apply(String(receipt.source_addr), decision);
        if (decision.action === 'apply' && decision.learned) {
          held = held.filter((h) => {
            const again = resolveHeld(state, lookUp(h.id), h.until, now);
            apply(h.from, again);
            return again.action === 'hold';
          });
        }
      }
      expect(held).toEqual([]);
      expect(wrong).toEqual([]);
      expect([...messages.values()].filter((m) => !m.delivered)).toEqual([]);
    });
  }
});
