import { v7 as uuidv7 } from 'uuid';
import { readClientLimits, type ClientLimits } from '../domain/client-limits.js';
import type { Limiter } from '../domain/limits.js';
import { parsePhoneNumber } from '../domain/phone-number.js';
import { admissionRefusal, checkDestination, type SendToAdmit } from '../domain/send-policy.js';
import type { BatchWriter } from '../store/batch-writer.js';
import type { ClientRecord } from '../store/catalog-store.js';
import type { IdempotencyClaim, MessageStore } from '../store/message-store.js';
import type { BlocklistCache } from './blocklist-cache.js';
import type { CatalogCache } from './catalog-cache.js';
import { authenticateGuarded } from './guarded-auth.js';
import { IdempotentSends, type AcceptResult, type SendDraft } from './idempotent-sends.js';
import type { SmsStatus } from './sms-status.js';

export interface SendRequest {
  client_id: string;
  passcode: string;
  phone_number: string;
  templet_id: string;
  contents: unknown;
}

export interface SendServiceDeps {
  readonly catalog: Pick<CatalogCache, 'authenticate' | 'templateFor'>;
  readonly blocklist: Pick<BlocklistCache, 'blocking'>;
  readonly limiter: Pick<Limiter, 'admitSend' | 'cancelSend' | 'checkPasscodeAttempt' | 'recordPasscodeFailure'>;
  readonly writer: Pick<BatchWriter, 'write'>;
  /** Where the Idempotency-Keys of earlier sends, and their messages, are read. */
  readonly store: Pick<MessageStore, 'findIdempotencyKey' | 'getMessage'>;
  readonly defaultRegion: string;
  /** How long a send's Idempotency-Key stands for it (SMSGATE_IDEMPOTENCY_TTL_S). */
  readonly idempotencyTtlMs: number;
  readonly now?: () => number;
}

/** A draft with what the destination rules and the limits need to know of it. */
interface PolicedDraft extends SendDraft {
  readonly country: string;
  readonly limits: ClientLimits;
}

/**
 * Accepting a send: the checks in the order src/domain/send-policy.ts writes down. Checks that
 * cost nothing shared run first; what the limiter counted is given back whenever the send is
 * not accepted after all, so rejected requests never count against any limit. A send with an
 * Idempotency-Key that repeats an accepted one answers that one before any destination rule or
 * limit (idempotent-sends.ts): a repeat takes nothing and is refused by nothing.
 */
export class SendService {
  private readonly now: () => number;
  private readonly idempotent: IdempotentSends<PolicedDraft>;
  /** A client's limits read once per catalog version (a reload makes new records). */
  private readonly limits = new WeakMap<ClientRecord, ClientLimits>();

  constructor(private readonly deps: SendServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.idempotent = new IdempotentSends<PolicedDraft>({
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
    const template = catalog.templateFor(request.templet_id, client.clientId);
    const text = template.render(request.contents);
    const { e164: phoneNumber, country } = parsePhoneNumber(request.phone_number, defaultRegion);
    const draft: PolicedDraft = {
      clientId: client.clientId,
      templetId: template.templetId,
      phoneNumber,
      text,
      contents: request.contents,
      country,
      limits: this.limitsOf(client),
    };
    if (idempotencyKey !== undefined) return this.idempotent.send(draft, idempotencyKey);
    // Without a claim no key can hold the message out: the answer is always a status.
    return this.accept(draft, undefined) as Promise<SmsStatus>;
  }

  /** Destination rules, limits, then the commit; with a claim, the key may turn out held by another send (nothing taken then). */
  private async accept(draft: PolicedDraft, claim: IdempotencyClaim | undefined): Promise<AcceptResult> {
    const { limiter, writer } = this.deps;
    const { clientId, templetId, phoneNumber, text, country, limits } = draft;
    checkDestination({ clientId, limits }, phoneNumber, country, this.deps.blocklist.blocking(phoneNumber, clientId));
    const send: SendToAdmit = { clientId, phoneNumber, country, rate: limits.rate, dailyQuota: limits.dailyQuota, countryCap: limits.countryCap };
    const admission = await limiter.admitSend(send);
    if (!admission.allowed) throw admissionRefusal(send, admission);
    try {
      const smsUid = uuidv7();
      const createdAt = this.now();
      const message = claim === undefined ? { smsUid, clientId, templetId, phoneNumber, text, createdAt } : { smsUid, clientId, templetId, phoneNumber, text, createdAt, idempotency: claim };
      const heldBy = await writer.write(message);
      if (heldBy === undefined) return { sms_uid: smsUid, status: 'queuing', error_code: '0' };
      // Another process committed this key first: the send is its repeat, nothing was used.
      await limiter.cancelSend(send, admission.at).catch(() => {});
      return { heldBy };
    } catch (error) {
      await limiter.cancelSend(send, admission.at).catch(() => {});
      throw error;
    }
  }

  private limitsOf(client: ClientRecord): ClientLimits {
    let limits = this.limits.get(client);
    if (!limits) this.limits.set(client, (limits = readClientLimits(client.limits)));
    return limits;
  }
}
