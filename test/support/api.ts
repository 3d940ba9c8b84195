import { expect } from 'vitest';
import type { MessageStatus } from '../../src/domain/message-status.js';
import type { TestGateway } from './gateway-harness.js';

export const SEND = '/api/sms/v1/sendsms';
export const QUERY = '/api/sms/v1/querysms';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Status order: a message may only move to a higher rank. */
export function statusRank(status: string): number {
  if (status === 'queuing') return 0;
  if (status === 'sent') return 1;
  if (status === 'delivered' || status.startsWith('error_')) return 2;
  throw new Error(`not a status: ${status}`);
}

/** A valid CN mobile number, distinct for each n < 10000 (within one prefix). */
export function cnMobile(n: number, prefix = '1380013'): string {
  return `${prefix}${String(n).padStart(4, '0')}`;
}

export interface Caller {
  readonly clientId: string;
  readonly passcode: string;
  send(phoneNumber: string, templetId?: string, contents?: unknown, extra?: Record<string, unknown>): ReturnType<TestGateway['post']>;
  query(smsUid: string): ReturnType<TestGateway['post']>;
  /** Polls querysms until the status is `status`; returns every status seen, in order. */
  waitFor(smsUid: string, status: MessageStatus, timeoutMs?: number): Promise<string[]>;
}

export function caller(gw: TestGateway, clientId: string, passcode: string): Caller {
  const self: Caller = {
    clientId,
    passcode,
    send: (phoneNumber, templetId = 't1', contents = [{ p1: '8888' }], extra = {}) =>
      gw.post(SEND, { client_id: clientId, passcode, phone_number: phoneNumber, templet_id: templetId, contents, ...extra }),
    query: (smsUid) => gw.post(QUERY, { client_id: clientId, passcode, sms_uid: smsUid }),
    async waitFor(smsUid, status, timeoutMs = 5000) {
      const seen: string[] = [];
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const answer = await self.query(smsUid);
        expect(answer.status).toBe(200);
        if (seen.at(-1) !== answer.json.status) seen.push(answer.json.status);
        if (answer.json.status === status) return seen;
        if (Date.now() > deadline) throw new Error(`${smsUid} did not reach ${status} in ${timeoutMs} ms; seen ${seen.join(' -> ')}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
  return self;
}

/** Adds a client to the gateway and returns a Caller for it. */
export async function newCaller(gw: TestGateway, clientId: string): Promise<Caller> {
  return caller(gw, clientId, await gw.addClient(clientId));
}

/** Callers for these client ids, and the document's template t1 that they all may use. */
export async function callersWithT1<const Ids extends readonly string[]>(gw: TestGateway, ...clientIds: Ids): Promise<{ [K in keyof Ids]: Caller }> {
  const callers: Caller[] = [];
  for (const clientId of clientIds) callers.push(await newCaller(gw, clientId));
  await gw.addTemplate('t1', T1_BODY);
  return callers as { [K in keyof Ids]: Caller };
}

export function expectError(answer: { status: number; json: any }, status: number, message?: RegExp): void {
  expect(answer.status, JSON.stringify(answer.json)).toBe(status);
  expect(Object.keys(answer.json).sort()).toEqual(['error_code', 'error_message']);
  expect(answer.json.error_code).toBe(String(status));
  expect(typeof answer.json.error_message).toBe('string');
  expect(answer.json.error_message.length).toBeGreaterThan(0);
  if (message) expect(answer.json.error_message).toMatch(message);
}

export const T1_BODY = 'Dear Member , your auth code is ${code}. The code will expire in 60 seconds. Have a good time! [Cookpad]';
