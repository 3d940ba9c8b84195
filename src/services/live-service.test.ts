import { describe, expect, it } from 'vitest';
import type { BindState } from '../carrier/smpp/bind-state.js';
import type { MessageStatus } from '../domain/message-status.js';
import type { MessageRecord } from '../store/message-store.js';
import { LiveService, RECENT_ERRORS } from './live-service.js';
import type { MessageQuery } from './message-lookup-service.js';

function message(status: MessageStatus, doneAt: number, n: number): MessageRecord {
  return {
    smsUid: `0193a5c2-7d4e-7b1a-9c3f-${String(n).padStart(12, '0')}`,
    clientId: 'shop',
    templetId: 't1',
    phoneNumber: '+12125550104',
    text: 'x',
    createdAt: doneAt - 100,
    status,
    errorCode: status === 'error_undeliverable' ? '001' : '0',
    partCount: 1,
    attempts: 1,
    sentAt: null,
    doneAt,
  };
}

function bind(connection: string, status: BindState['status'], since: number, reason?: string): BindState {
  return { connection, bind: 'transceiver-0', host: '127.0.0.1', port: 2775, status, since, ...(reason === undefined ? {} : { reason }) };
}

describe('live snapshots', () => {
  it('lists binds down and messages in error, newest first, at most RECENT_ERRORS, one lookup per error status', async () => {
    const asked: MessageQuery[] = [];
    const failed: Record<string, MessageRecord[]> = {
      error_undeliverable: Array.from({ length: RECENT_ERRORS }, (_, i) => message('error_undeliverable', 10_000 + i * 10, i)),
      error_rejected: [message('error_rejected', 50_000, 100)],
    };
    const live = new LiveService({
      metrics: undefined,
      binds: async () => [bind('up', 'bound', 1), bind('refused', 'refused', 40_000, 'ESME_RINVPASWD'), bind('lost', 'connecting', 5, 'ECONNREFUSED'), bind('starting', 'connecting', 60_000)],
      queueDepth: async () => ({ queuing: 4, sent: 2 }),
      lookups: {
        find: async (query) => {
          asked.push(query);
          return { messages: failed[query.status!] ?? [], nextCursor: undefined };
        },
      },
      now: () => 99_000,
    });
    const snapshot = await live.snapshot();
    expect(asked.map((q) => [q.status, q.limit])).toEqual([
      ['error_rejected', RECENT_ERRORS],
      ['error_undeliverable', RECENT_ERRORS],
      ['error_expired', RECENT_ERRORS],
      ['error_unknown', RECENT_ERRORS],
    ]);
    expect(snapshot.at).toBe(99_000);
    expect(snapshot.metricsEnabled).toBe(false);
    expect(snapshot.counters.accepted).toBe(0);
    expect(snapshot.queue).toEqual({ queuing: 4, sent: 2 });
    expect(snapshot.binds).toHaveLength(4);
    const errors = snapshot.recentErrors;
    expect(errors).toHaveLength(RECENT_ERRORS);
    expect(errors[0]).toEqual({ at: 50_000, kind: 'message', smsUid: failed.error_rejected![0]!.smsUid, clientId: 'shop', status: 'error_rejected', detail: 'error_rejected' });
    expect(errors[1]).toEqual({ at: 40_000, kind: 'bind', connection: 'refused', detail: 'transceiver-0 refused: ESME_RINVPASWD' });
    expect(errors[2]).toMatchObject({ kind: 'message', status: 'error_undeliverable', at: 10_000 + (RECENT_ERRORS - 1) * 10, detail: 'error_undeliverable, error code 001' });
    expect(errors.map((e) => e.at)).toEqual([...errors.map((e) => e.at)].sort((a, b) => b - a));
    // A bind still starting (no reason yet) is no error; the oldest ones fell off the list.
    expect(errors.some((e) => e.kind === 'bind' && e.connection === 'starting')).toBe(false);
    expect(errors.some((e) => e.kind === 'bind' && e.connection === 'lost')).toBe(false);
  });
});
