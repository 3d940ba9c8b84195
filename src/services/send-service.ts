import { v7 as uuidv7 } from 'uuid';
import { readClientLimits, type ClientLimits } from '../domain/client-limits.js';
import type { Limiter } from '../domain/limits.js';
import { parsePhoneNumber } from '../domain/phone-number.js';
import { admissionRefusal, checkDestination, type SendToAdmit } from '../domain/send-policy.js';
import type { BatchWriter } from '../store/batch-writer.js';
import type { ClientRecord } from '../store/catalog-store.js';
import type { BlocklistCache } from './blocklist-cache.js';
import type { CatalogCache } from './catalog-cache.js';
import { authenticateGuarded } from './guarded-auth.js';
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
  readonly defaultRegion: string;
  readonly now?: () => number;
}

/**
 * Accepting a send: the checks in the order src/domain/send-policy.ts writes down. Checks that
 * cost nothing shared run first; what the limiter counted is given back whenever the send is
 * not accepted after all, so rejected requests never count against any limit.
 */
export class SendService {
  private readonly now: () => number;
  /** A client's limits read once per catalog version (a reload makes new records). */
  private readonly limits = new WeakMap<ClientRecord, ClientLimits>();

  constructor(private readonly deps: SendServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** `address`: where the request came from, for the passcode-guessing limits. */
  async send(request: SendRequest, address: string): Promise<SmsStatus> {
    const { catalog, limiter, writer, defaultRegion } = this.deps;
    const client = await authenticateGuarded(catalog, limiter, request, address);
    const template = catalog.templateFor(request.templet_id, client.clientId);
    const text = template.render(request.contents);
    const { e164: phoneNumber, country } = parsePhoneNumber(request.phone_number, defaultRegion);
    const limits = this.limitsOf(client);
    checkDestination({ clientId: client.clientId, limits }, phoneNumber, country, this.deps.blocklist.blocking(phoneNumber, client.clientId));

    const send: SendToAdmit = { clientId: client.clientId, phoneNumber, country, rate: limits.rate, dailyQuota: limits.dailyQuota, countryCap: limits.countryCap };
    const admission = await limiter.admitSend(send);
    if (!admission.allowed) throw admissionRefusal(send, admission);
    try {
      const smsUid = uuidv7();
      await writer.write({ smsUid, clientId: client.clientId, templetId: template.templetId, phoneNumber, text, createdAt: this.now() });
      return { sms_uid: smsUid, status: 'queuing', error_code: '0' };
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
