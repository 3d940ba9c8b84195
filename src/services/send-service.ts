import { v7 as uuidv7 } from 'uuid';
import type { Limiter } from '../domain/limits.js';
import { normalisePhoneNumber } from '../domain/phone-number.js';
import type { BatchWriter } from '../store/batch-writer.js';
import type { CatalogCache } from './catalog-cache.js';
import { authenticateGuarded } from './guarded-auth.js';
import { rejectIfLimited, type SmsStatus } from './sms-status.js';

export interface SendRequest {
  client_id: string;
  passcode: string;
  phone_number: string;
  templet_id: string;
  contents: unknown;
}

export interface SendServiceDeps {
  readonly catalog: Pick<CatalogCache, 'authenticate' | 'templateFor'>;
  readonly limiter: Pick<Limiter, 'reserveNumber' | 'releaseNumber' | 'takeSend' | 'checkPasscodeAttempt' | 'recordPasscodeFailure'>;
  readonly writer: Pick<BatchWriter, 'write'>;
  readonly defaultRegion: string;
  readonly now?: () => number;
}

/**
 * Accepting a send: the steps in the order the contract needs them. Checks that cost nothing
 * shared run first; the number reservation is given back whenever the send is not accepted
 * after all, so rejected requests never count against the number.
 */
export class SendService {
  private readonly now: () => number;

  constructor(private readonly deps: SendServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** `address`: where the request came from, for the passcode-guessing limits. */
  async send(request: SendRequest, address: string): Promise<SmsStatus> {
    const { catalog, limiter, writer, defaultRegion } = this.deps;
    const client = await authenticateGuarded(catalog, limiter, request, address);
    const phoneNumber = normalisePhoneNumber(request.phone_number, defaultRegion);
    const template = catalog.templateFor(request.templet_id, client.clientId);
    const text = template.render(request.contents);

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
}
