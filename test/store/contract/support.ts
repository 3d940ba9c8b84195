import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { isGatewayError, type ErrorCode } from '../../../src/domain/errors.js';
import type { NewMessage } from '../../../src/store/message-store.js';
import type { Store } from '../../../src/store/store.js';

/** The store of the running test (opened in beforeEach). */
export interface StoreHandle {
  readonly store: Store;
}

/** Retention is not on the port yet; every adapter must still offer it. */
export interface WithRetention {
  deleteFinishedBefore(cutoffMs: number): Promise<number>;
}

export function withRetention(store: Store): Store & WithRetention {
  const candidate = store as Store & Partial<WithRetention>;
  expect(typeof candidate.deleteFinishedBefore, 'the store offers deleteFinishedBefore(cutoffMs)').toBe('function');
  return candidate as Store & WithRetention;
}

export function newMessage(overrides: Partial<NewMessage> = {}): NewMessage {
  return {
    smsUid: randomUUID(),
    clientId: 'client-a',
    templetId: 'login',
    phoneNumber: '+8613800138000',
    text: 'Your code is 1234',
    createdAt: 1_000,
    ...overrides,
  };
}

/** Inserts one message and records its submit with these part ids (part 1, 2, ...). */
export async function sendMessage(store: Store, carrierIds: readonly string[], now = 2_000, overrides: Partial<NewMessage> = {}): Promise<string> {
  const message = newMessage(overrides);
  await store.insertMessages([message]);
  await store.markSent(
    message.smsUid,
    carrierIds.map((carrierMessageId, index) => ({ partNo: index + 1, carrierMessageId })),
    now,
  );
  return message.smsUid;
}

export async function expectGatewayError(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected GatewayError ${code}`).toBeDefined();
  expect(isGatewayError(error) ? error.code : error).toBe(code);
}

export async function statusOf(store: Store, smsUid: string): Promise<string | undefined> {
  return (await store.getMessage(smsUid))?.status;
}
