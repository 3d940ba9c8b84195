import { describe, expect, it, vi } from 'vitest';
import { BatchWriter } from '../../src/store/batch-writer.js';
import type { IdempotencyRecord, MessageStore, NewMessage } from '../../src/store/message-store.js';

function message(n: number): NewMessage {
  return { smsUid: `uid-${n}`, clientId: 'c', templetId: 't', phoneNumber: '+8613800138000', text: 'x', createdAt: n };
}

/** A store whose insertMessages is controlled by the test: each call waits for `release`. */
function fakeStore(options: { fail?: Error; manual?: boolean; held?: IdempotencyRecord[] } = {}) {
  const calls: NewMessage[][] = [];
  const releases: (() => void)[] = [];
  const insertMessages = vi.fn(async (batch: readonly NewMessage[]): Promise<readonly IdempotencyRecord[]> => {
    calls.push([...batch]);
    if (options.manual) await new Promise<void>((resolve) => releases.push(resolve));
    if (options.fail) throw options.fail;
    return options.held ?? [];
  });
  return { store: { insertMessages } as unknown as MessageStore, calls, releases, insertMessages };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('BatchWriter (group commit)', () => {
  it('commits many writes of one tick in one insertMessages call, in order', async () => {
    const { store, calls } = fakeStore();
    const committed = vi.fn();
    const writer = new BatchWriter(store, 1000, committed);
    await Promise.all(Array.from({ length: 100 }, (_, i) => writer.write(message(i))));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.map((m) => m.smsUid)).toEqual(Array.from({ length: 100 }, (_, i) => `uid-${i}`));
    expect(committed).toHaveBeenCalledOnce();
    expect(committed).toHaveBeenCalledWith(100);
  });

  it('a write settles only after its commit', async () => {
    const { store, releases } = fakeStore({ manual: true });
    const writer = new BatchWriter(store, 1000);
    let settled = false;
    const done = writer.write(message(1)).then(() => (settled = true));
    await tick();
    await tick();
    expect(releases).toHaveLength(1);
    expect(settled).toBe(false);
    releases[0]!();
    await done;
    expect(settled).toBe(true);
  });

  it('splits at maxBatch', async () => {
    const { store, calls } = fakeStore();
    const writer = new BatchWriter(store, 10);
    await Promise.all(Array.from({ length: 25 }, (_, i) => writer.write(message(i))));
    expect(calls.map((c) => c.length)).toEqual([10, 10, 5]);
  });

  it('writes of separate ticks are separate batches', async () => {
    const { store, calls } = fakeStore();
    const writer = new BatchWriter(store, 1000);
    await writer.write(message(1));
    await writer.write(message(2));
    expect(calls.map((c) => c.length)).toEqual([1, 1]);
  });

  it('a failing insert rejects every waiter of that batch, and the next batch still commits', async () => {
    const failure = new Error('disk on fire');
    const { store, insertMessages } = fakeStore({ fail: failure });
    const committed = vi.fn();
    const writer = new BatchWriter(store, 1000, committed);
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => writer.write(message(i))));
    expect(insertMessages).toHaveBeenCalledOnce();
    expect(results.every((r) => r.status === 'rejected' && r.reason === failure)).toBe(true);
    expect(committed).not.toHaveBeenCalled();

    insertMessages.mockImplementation(async () => []);
    await expect(writer.write(message(9))).resolves.toBeUndefined();
    expect(committed).toHaveBeenCalledWith(1);
  });

  it('drain waits for commits under way and flushes what is waiting', async () => {
    const { store, releases, calls } = fakeStore({ manual: true });
    const writer = new BatchWriter(store, 1000);
    const first = writer.write(message(1));
    await tick();
    const second = writer.write(message(2)); // waiting, not yet flushed
    let drained = false;
    const draining = writer.drain().then(() => (drained = true));
    expect(calls).toHaveLength(2); // drain flushed the waiting write at once
    await tick();
    expect(drained).toBe(false);
    releases[0]!();
    await first;
    await tick();
    expect(drained).toBe(false);
    releases[1]!();
    await Promise.all([second, draining]);
    expect(drained).toBe(true);
  });

  it('drain with nothing under way resolves at once', async () => {
    const { store } = fakeStore();
    await expect(new BatchWriter(store, 10).drain()).resolves.toBeUndefined();
  });

  it('tells each message with a key held by another send which key kept it out; the others, its own included, were inserted', async () => {
    const keyed = (n: number, key: string): NewMessage => ({ ...message(n), idempotency: { key, fingerprint: 'f', expiresAt: 9_999 } });
    const held: IdempotencyRecord = { clientId: 'c', key: 'k1', fingerprint: 'f', smsUid: 'uid-1', expiresAt: 9_999 };
    const { store } = fakeStore({ held: [held] });
    const committed = vi.fn();
    const writer = new BatchWriter(store, 1000, committed);
    const answers = await Promise.all([writer.write(keyed(1, 'k1')), writer.write(keyed(2, 'k1')), writer.write(keyed(3, 'k2')), writer.write(message(4))]);
    expect(answers).toEqual([undefined, held, undefined, undefined]);
    expect(committed).toHaveBeenCalledWith(3);
  });
});
