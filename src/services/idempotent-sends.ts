import { GatewayError, isGatewayError } from '../domain/errors.js';
import { sendFingerprint } from '../domain/idempotency.js';
import type { IdempotencyClaim, IdempotencyRecord, MessageStore } from '../store/message-store.js';
import type { SmsStatus } from './sms-status.js';

/** A send checked and rendered, not yet accepted. */
export interface SendDraft {
  readonly clientId: string;
  readonly templetId: string;
  readonly phoneNumber: string;
  readonly text: string;
  /** As the request gave them: what the fingerprint compares. */
  readonly contents: unknown;
}

/** Accepting a draft: the answer, or the key of another send that kept the message out. */
export type AcceptResult = SmsStatus | { readonly heldBy: IdempotencyRecord };

export interface IdempotentSendsDeps<Draft extends SendDraft = SendDraft> {
  readonly store: Pick<MessageStore, 'findIdempotencyKey' | 'getMessage'>;
  readonly ttlMs: number;
  readonly now: () => number;
  /** The send path proper: limits and commit, with the key stored in the message's transaction. */
  readonly accept: (draft: Draft, claim: IdempotencyClaim) => Promise<AcceptResult>;
}

/** Long enough for another process's send to commit under load; only refused keyed sends wait it. */
const KEY_WAIT_MS = 1_000;
const KEY_POLL_MS = 20;

/**
 * Sends that carry an Idempotency-Key: the first with a key is accepted and the key stored with
 * its message; a repeat with the same send answers the first's sms_uid and current status,
 * taking no limit; the key with another send is 422. In this process a repeat that arrives while
 * the first is being committed gets 409; between processes the store's unique key decides, and
 * the one that loses answers as a repeat.
 */
export class IdempotentSends<Draft extends SendDraft = SendDraft> {
  /** client_id and key of the sends with a key being accepted in this process right now. */
  private readonly inFlight = new Set<string>();

  constructor(private readonly deps: IdempotentSendsDeps<Draft>) {}

  async send(draft: Draft, key: string): Promise<SmsStatus> {
    const fingerprint = sendFingerprint(draft);
    const slot = `${draft.clientId}\n${key}`;
    if (this.inFlight.has(slot)) {
      throw new GatewayError('IDEMPOTENCY_KEY_IN_FLIGHT', `the first send with Idempotency-Key ${JSON.stringify(key)} is still being committed: try again`, { retryAfterS: 1 });
    }
    this.inFlight.add(slot);
    try {
      const now = this.deps.now();
      const held = await this.deps.store.findIdempotencyKey(draft.clientId, key, now);
      if (held) return await this.repeat(held, fingerprint);
      const result = await this.deps.accept(draft, { key, fingerprint, expiresAt: now + this.deps.ttlMs }).catch(async (error: unknown) => {
        const heldMeanwhile = isGatewayError(error) && error.code === 'NUMBER_RATE_LIMITED' ? await this.keyAppearing(draft.clientId, key) : undefined;
        if (!heldMeanwhile) throw error;
        return { heldBy: heldMeanwhile };
      });
      return 'heldBy' in result ? await this.repeat(result.heldBy, fingerprint) : result;
    } finally {
      this.inFlight.delete(slot);
    }
  }

  /**
   * The number may be held by this very send, being committed by another API process (the
   * limits are shared, the in-flight set is not): a repeat must not get 429, so the key is
   * looked for until it appears or the wait is over (then the 429 stands).
   */
  private async keyAppearing(clientId: string, key: string): Promise<IdempotencyRecord | undefined> {
    const until = Date.now() + KEY_WAIT_MS;
    for (;;) {
      const held = await this.deps.store.findIdempotencyKey(clientId, key, this.deps.now());
      if (held || Date.now() >= until) return held;
      await new Promise((resolve) => setTimeout(resolve, KEY_POLL_MS));
    }
  }

  private async repeat(held: IdempotencyRecord, fingerprint: string): Promise<SmsStatus> {
    if (held.fingerprint !== fingerprint) {
      throw new GatewayError('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${JSON.stringify(held.key)} was used for a different send: use a new key for a new send`);
    }
    const message = await this.deps.store.getMessage(held.smsUid);
    // Gone only if retention ran shorter than the key's life (the settings forbid it): its
    // outcome is no longer known.
    return { sms_uid: held.smsUid, status: message?.status ?? 'error_unknown', error_code: message?.errorCode ?? '0' };
  }
}
