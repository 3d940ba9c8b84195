import { GatewayError } from '../domain/errors.js';
import type { Limiter } from '../domain/limits.js';
import type { MessageStore } from '../store/message-store.js';
import type { CatalogCache } from './catalog-cache.js';
import { authenticateGuarded } from './guarded-auth.js';
import { rejectIfLimited, type SmsStatus } from './sms-status.js';

export interface QueryRequest {
  client_id: string;
  passcode: string;
  sms_uid: string;
}

export interface QueryServiceDeps {
  readonly catalog: Pick<CatalogCache, 'authenticate'>;
  readonly limiter: Pick<Limiter, 'takeQuery' | 'checkPasscodeAttempt' | 'recordPasscodeFailure'>;
  readonly store: Pick<MessageStore, 'getMessage'>;
}

/** Answering a query: a client learns the status of its own messages, and of no others. */
export class QueryService {
  constructor(private readonly deps: QueryServiceDeps) {}

  /** `address`: where the request came from, for the passcode-guessing limits. */
  async query(request: QueryRequest, address: string): Promise<SmsStatus> {
    const { catalog, limiter, store } = this.deps;
    const client = await authenticateGuarded(catalog, limiter, request, address);
    rejectIfLimited(await limiter.takeQuery(), 'QUERY_RATE_LIMITED', 'the gateway is at its global query rate');
    const message = await store.getMessage(request.sms_uid);
    // Another client's message answers exactly like a missing one: its existence is not theirs to know.
    if (!message || message.clientId !== client.clientId) {
      throw new GatewayError('MESSAGE_NOT_FOUND', `no message with sms_uid "${request.sms_uid.slice(0, 64)}"`);
    }
    return { sms_uid: message.smsUid, status: message.status, error_code: message.errorCode };
  }
}
