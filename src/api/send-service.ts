import { v7 as uuidv7 } from 'uuid';
import { GatewayError } from '../domain/errors.js';
import type { Limiter } from '../domain/limits.js';
import type { MessageStatus } from '../domain/message-status.js';
import { normalisePhoneNumber } from '../domain/phone-number.js';
import { renderTemplate } from '../domain/template.js';
import type { BatchWriter } from '../store/batch-writer.js';
import type { MessageStore } from '../store/message-store.js';
import type { CatalogCache } from './catalog-cache.js';

export interface SendRequest {
  client_id: string;
  passcode: string;
  phone_number: string;
  templet_id: string;
  contents: unknown;
}

export interface QueryRequest {
  client_id: string;
  passcode: string;
  sms_uid: string;
}

export interface SmsStatus {
  sms_uid: string;
  status: MessageStatus;
  error_code: string;
}

export interface SendServiceDeps {
  readonly catalog: CatalogCache;
  readonly limiter: Limiter;
  readonly writer: BatchWriter;
  readonly store: MessageStore;
  readonly defaultRegion: string;
  readonly now?: () => number;
}

/**
 * Accepting a send and answering a query: the steps in the order the contract needs them.
 * Checks that cost nothing shared run first; the number reservation is given back whenever the
 * send is not accepted after all, so rejected requests never count against the number.
 */
export class SendService {
  private readonly now: () => number;

  constructor(private readonly deps: SendServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async send(request: SendRequest): Promise<SmsStatus> {
    const { catalog, limiter, writer, defaultRegion } = this.deps;
    const client = catalog.authenticate(request.client_id, request.passcode);
    const phoneNumber = normalisePhoneNumber(request.phone_number, defaultRegion);
    const template = catalog.templateFor(request.templet_id, client.clientId);
    const text = renderTemplate(template.body, request.contents);

    rejectIfLimited(await limiter.reserveNumber(phoneNumber), 'NUMBER_RATE_LIMITED', `phone_number ${phoneNumber} got a message less than the per-number interval ago`);
    try {
      rejectIfLimited(await limiter.takeSend(), 'SEND_RATE_LIMITED', 'the gateway is at its global send rate');
      const smsUid = uuidv7();
      await writer.write({ smsUid, clientId: client.clientId, templetId: template.templetId, phoneNumber, text, createdAt: this.now() });
      return { sms_uid: smsUid, status: 'queuing', error_code: '0' };
    } catch (error) {
      await limiter.releaseNumber(phoneNumber).catch(() => {});
      throw error;
    }
  }

  async query(request: QueryRequest): Promise<SmsStatus> {
    const { catalog, limiter, store } = this.deps;
    const client = catalog.authenticate(request.client_id, request.passcode);
    rejectIfLimited(await limiter.takeQuery(), 'QUERY_RATE_LIMITED', 'the gateway is at its global query rate');
    const message = await store.getMessage(request.sms_uid);
    // Another client's message answers exactly like a missing one: its existence is not theirs to know.
    if (!message || message.clientId !== client.clientId) {
      throw new GatewayError('MESSAGE_NOT_FOUND', `no message with sms_uid "${request.sms_uid.slice(0, 64)}"`);
    }
    return { sms_uid: message.smsUid, status: message.status, error_code: message.errorCode };
  }
}

function rejectIfLimited(decision: { allowed: boolean; retryAfterS: number }, code: 'NUMBER_RATE_LIMITED' | 'SEND_RATE_LIMITED' | 'QUERY_RATE_LIMITED', message: string): void {
  if (!decision.allowed) throw new GatewayError(code, message, { retryAfterS: decision.retryAfterS });
}
