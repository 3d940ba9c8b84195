import { v7 as uuidv7 } from 'uuid';
import type { Limiter } from '../domain/limits.js';
import { normalisePhoneNumber } from '../domain/phone-number.js';
import type { BatchWriter } from '../store/batch-writer.js';
import type { IdempotencyClaim, MessageStore } from '../store/message-store.js';
import type { CatalogCache } from './catalog-cache.js';
import { authenticateGuarded } from './guarded-auth.js';
import { IdempotentSends, type AcceptResult, type SendDraft } from './idempotent-sends.js';
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
  /** Where the Idempotency-Keys of earlier sends, and their messages, are read. */
  readonly store: Pick<MessageStore, 'findIdempotencyKey' | 'getMessage'>;
  readonly defaultRegion: string;
  /** How long a send's Idempotency-Key stands for it (SMSGATE_IDEMPOTENCY_TTL_S). */
  readonly idempotencyTtlMs: number;
  readonly now?: () => number;
}

/**
 * Accepting a send: the steps in the order the contract needs them. Checks that cost nothing
 * shared run first; the number reservation is given back whenever the send is not accepted
 * after all, so rejected requests never count against the number.
 */
export class SendService {
  private readonly now: () => number;
  private readonly idempotent: IdempotentSends;

  constructor(private readonly deps: SendServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.idempotent = new IdempotentSends({
      store: deps.store,
      ttlMs: deps.idempotencyTtlMs,
      now: this.now,
      accept: (draft, claim) => this.accept(draft, claim),
    });
  }

  /**
   * `address`: where the request came from, for the passcode-guessing limits; `idempotencyKey`:
   * the checked Idempotency-Key header (domain/idempotency.ts), when the request had one.
   */
  async send(request: SendRequest, address: string, idempotencyKey?: string): Promise<SmsStatus> {
    const { catalog, limiter, defaultRegion } = this.deps;
    const client = await authenticateGuarded(catalog, limiter, request, address);
    const phoneNumber = normalisePhoneNumber(request.phone_number, defaultRegion);
    const template = catalog.templateFor(request.templet_id, client.clientId);
    const text = template.render(request.contents);
    const draft: SendDraft = { clientId: client.clientId, templetId: template.templetId, phoneNumber, text, contents: request.contents };
    if (idempotencyKey !== undefined) return this.idempotent.send(draft, idempotencyKey);
    // Without a claim no key can hold the message out: the answer is always a status.
    return this.accept(draft, undefined) as Promise<SmsStatus>;
  }

  /** Limits, then the commit; with a claim, the key may turn out held by another send (nothing taken then). */
  private async accept(draft: SendDraft, claim: IdempotencyClaim | undefined): Promise<AcceptResult> {
    const { limiter, writer } = this.deps;
    const { clientId, templetId, phoneNumber, text } = draft;
    rejectIfLimited(await limiter.reserveNumber(phoneNumber), 'NUMBER_RATE_LIMITED', `phone_number ${phoneNumber} got a message less than the per-number interval ago`);
    try {
      rejectIfLimited(await limiter.takeSend(), 'SEND_RATE_LIMITED', 'the gateway is at its global send rate');
      const smsUid = uuidv7();
      const createdAt = this.now();
      const message = claim === undefined ? { smsUid, clientId, templetId, phoneNumber, text, createdAt } : { smsUid, clientId, templetId, phoneNumber, text, createdAt, idempotency: claim };
      const heldBy = await writer.write(message);
      if (heldBy === undefined) return { sms_uid: smsUid, status: 'queuing', error_code: '0' };
      // Another process committed this key first: the send is its repeat, the number was not used.
      await limiter.releaseNumber(phoneNumber).catch(() => {});
      return { heldBy };
    } catch (error) {
      await limiter.releaseNumber(phoneNumber).catch(() => {});
      throw error;
    }
  }
}
