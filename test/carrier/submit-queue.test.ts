import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CarrierSubmitError } from '../../src/carrier/carrier.js';
import type { SmFields } from '../../src/carrier/smpp/pdu-codec.js';
import { SubmitQueue, sweepIntervalMs } from '../../src/carrier/smpp/submit-queue.js';

const fields = (destination = '447700900001'): SmFields => ({
  source_addr_ton: 5,
  source_addr_npi: 0,
  source_addr: 'smsgate',
  dest_addr_ton: 1,
  dest_addr_npi: 1,
  destination_addr: destination,
  esm_class: 0,
  registered_delivery: 1,
  data_coding: 0,
  short_message: Buffer.from('hi'),
});

const TIMEOUT = 1000;
const TICK = sweepIntervalMs(TIMEOUT);

/** The error a submit failed with, or 'pending' / the id it was answered with. */
function track(promise: Promise<string>): { outcome: string | CarrierSubmitError } {
  const state: { outcome: string | CarrierSubmitError } = { outcome: 'pending' };
  promise.then(
    (id) => (state.outcome = id),
    (error: CarrierSubmitError) => (state.outcome = error),
  );
  return state;
}

describe('SubmitQueue: one sweep for every timeout', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fails an unanswered submit with retry TIMEOUT after the timeout, within one sweep interval', async () => {
    const freed = vi.fn();
    const queue = new SubmitQueue(TIMEOUT, freed);
    const submit = track(queue.enqueue(fields()));
    const entry = queue.next()!;
    queue.markInFlight(entry, 7);
    await vi.advanceTimersByTimeAsync(TIMEOUT - 1);
    expect(submit.outcome).toBe('pending');
    await vi.advanceTimersByTimeAsync(TICK + 1);
    expect(submit.outcome).toMatchObject({ kind: 'retry', carrierCode: 'TIMEOUT' });
    expect(freed).toHaveBeenCalledTimes(1);
    expect(queue.settle(entry, 7)).toBe(false); // a late response finds nothing
    expect(queue.inFlightCount).toBe(0);
  });

  it('fails a submit that never got a window slot with retry NO_BIND, and keeps the rest', async () => {
    const queue = new SubmitQueue(TIMEOUT, () => {});
    const first = track(queue.enqueue(fields('1')));
    await vi.advanceTimersByTimeAsync(TIMEOUT / 2);
    const second = track(queue.enqueue(fields('2')));
    await vi.advanceTimersByTimeAsync(TIMEOUT / 2 + TICK);
    expect(first.outcome).toMatchObject({ kind: 'retry', carrierCode: 'NO_BIND' });
    expect(second.outcome).toBe('pending');
    expect(queue.queuedCount).toBe(1);
    await vi.advanceTimersByTimeAsync(TIMEOUT / 2 + TICK);
    expect(second.outcome).toMatchObject({ carrierCode: 'NO_BIND' });
  });

  it('an answered submit is not timed out, and the sweep stops when nothing waits', async () => {
    const queue = new SubmitQueue(TIMEOUT, () => {});
    const submit = track(queue.enqueue(fields()));
    const entry = queue.next()!;
    queue.markInFlight(entry, 1);
    expect(queue.settle(entry, 1)).toBe(true);
    entry.resolve('abc');
    await vi.advanceTimersByTimeAsync(TIMEOUT * 3);
    expect(submit.outcome).toBe('abc');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('requeued submits get a fresh wait in the queue', async () => {
    const queue = new SubmitQueue(TIMEOUT, () => {});
    const submit = track(queue.enqueue(fields()));
    queue.markInFlight(queue.next()!, 1);
    await vi.advanceTimersByTimeAsync(TIMEOUT - 100);
    expect(queue.requeueInFlight()).toBe(1);
    await vi.advanceTimersByTimeAsync(TIMEOUT - 100);
    expect(submit.outcome).toBe('pending');
    await vi.advanceTimersByTimeAsync(100 + TICK);
    expect(submit.outcome).toMatchObject({ carrierCode: 'NO_BIND' });
  });
});
