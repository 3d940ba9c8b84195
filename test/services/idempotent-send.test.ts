import { describe, expect, it, vi } from 'vitest';
import { NO_CLIENT_LIMITS } from '../../src/domain/client-limits.js';
import { SendService, type SendServiceDeps } from '../../src/services/send-service.js';
import type { IdempotencyRecord } from '../../src/store/message-store.js';

const REQUEST = { client_id: 'c1', passcode: 'p', phone_number: '+8613800138000', templet_id: 't1', contents: [{ code: '1' }] };

/** A SendService over fakes: the store says `storedKey` holds the key, the writer answers `heldBy`. */
function service(options: { heldBy?: IdempotencyRecord; storedKey?: IdempotencyRecord; numberTaken?: boolean; keyAppears?: IdempotencyRecord } = {}) {
  const limiter = {
    checkPasscodeAttempt: vi.fn(async () => ({ allowed: true, retryAfterS: 0 })),
    recordPasscodeFailure: vi.fn(async () => {}),
    admitSend: vi.fn(async () => (options.numberTaken ? { allowed: false as const, step: 'number-window' as const, waitMs: 60_000 } : { allowed: true as const, at: 1_000 })),
    cancelSend: vi.fn(async () => {}),
  };
  const writer = { write: vi.fn(async () => options.heldBy) };
  let lookups = 0;
  const deps: SendServiceDeps = {
    blocklist: { blocking: () => undefined },
    catalog: {
      authenticate: () => ({ clientId: 'c1', passcodeHash: '', enabled: true, createdAt: 0, callback: null, limits: NO_CLIENT_LIMITS }),
      templateFor: () => ({ templetId: 't1', render: () => 'code 1' }) as never,
    },
    limiter: limiter as unknown as SendServiceDeps['limiter'],
    writer,
    store: {
      // The first lookup (before the limits) finds `storedKey`; later ones `keyAppears` too.
      findIdempotencyKey: vi.fn(async () => (lookups++ === 0 ? options.storedKey : (options.keyAppears ?? options.storedKey))),
      getMessage: vi.fn(async (smsUid: string) => ({ smsUid, status: 'sent' as const, errorCode: '0' }) as never),
    },
    defaultRegion: 'CN',
    idempotencyTtlMs: 60_000,
    now: () => 1_000,
  };
  return { send: new SendService(deps), limiter, writer };
}

async function fingerprintOf(key: string): Promise<string> {
  const { send, writer } = service();
  await send.send(REQUEST, '127.0.0.1', key);
  return (writer.write.mock.calls[0] as unknown as [{ idempotency: { fingerprint: string } }])[0].idempotency.fingerprint;
}

describe('SendService with an Idempotency-Key', () => {
  it('stores the key with the message, for the TTL', async () => {
    const { send, writer } = service();
    await send.send(REQUEST, '127.0.0.1', 'k');
    expect(writer.write).toHaveBeenCalledWith(expect.objectContaining({ idempotency: { key: 'k', fingerprint: expect.any(String), expiresAt: 61_000 } }));
  });

  it('a send without the key carries none', async () => {
    const { send, writer } = service();
    await send.send(REQUEST, '127.0.0.1');
    expect(writer.write.mock.calls[0]).not.toHaveProperty('0.idempotency');
  });

  it('a repeat found at once takes no limit at all', async () => {
    const fingerprint = await fingerprintOf('k');
    const { send, limiter, writer } = service({ storedKey: { clientId: 'c1', key: 'k', fingerprint, smsUid: 'first', expiresAt: 61_000 } });
    expect(await send.send(REQUEST, '127.0.0.1', 'k')).toEqual({ sms_uid: 'first', status: 'sent', error_code: '0' });
    expect(limiter.admitSend).not.toHaveBeenCalled();
    expect(writer.write).not.toHaveBeenCalled();
  });

  it('a send another process committed first under the key gives its number reservation back and answers as a repeat', async () => {
    const fingerprint = await fingerprintOf('k');
    const { send, limiter } = service({ heldBy: { clientId: 'c1', key: 'k', fingerprint, smsUid: 'theirs', expiresAt: 61_000 } });
    expect(await send.send(REQUEST, '127.0.0.1', 'k')).toEqual({ sms_uid: 'theirs', status: 'sent', error_code: '0' });
    expect(limiter.cancelSend).toHaveBeenCalledWith(expect.objectContaining({ phoneNumber: '+8613800138000' }), 1_000);
  });

  it('the key held for a different send by another process is 422, and the reservation is given back', async () => {
    const { send, limiter } = service({ heldBy: { clientId: 'c1', key: 'k', fingerprint: 'other', smsUid: 'theirs', expiresAt: 61_000 } });
    await expect(send.send(REQUEST, '127.0.0.1', 'k')).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(limiter.cancelSend).toHaveBeenCalledWith(expect.objectContaining({ phoneNumber: '+8613800138000' }), 1_000);
  });

  it('refused by the per-number limit while another process commits the same key: answers as a repeat, not 429', async () => {
    const fingerprint = await fingerprintOf('k');
    const theirs = { clientId: 'c1', key: 'k', fingerprint, smsUid: 'theirs', expiresAt: 61_000 };
    const { send } = service({ numberTaken: true, keyAppears: theirs });
    expect(await send.send(REQUEST, '127.0.0.1', 'k')).toEqual({ sms_uid: 'theirs', status: 'sent', error_code: '0' });
  });

  it('refused by the per-number limit and no send with the key appears: 429 stands', async () => {
    const { send, writer } = service({ numberTaken: true });
    await expect(send.send(REQUEST, '127.0.0.1', 'k')).rejects.toMatchObject({ code: 'NUMBER_RATE_LIMITED' });
    expect(writer.write).not.toHaveBeenCalled();
  });
});
