import { describe, expect, it } from 'vitest';
import type { BindState } from '../../src/carrier/smpp/bind-state.js';
import { checkReadiness } from '../../src/services/readiness.js';

const since = Date.UTC(2026, 11, 3, 15, 0, 0);
const bind = (status: BindState['status'], reason?: string): BindState => ({
  connection: 'smsc-a',
  bind: 'transceiver-0',
  host: '10.0.0.1',
  port: 2775,
  status,
  ...(reason === undefined ? {} : { reason }),
  since,
});

describe('readiness', () => {
  it('is ready when the store answers, Redis answers and a bind is up', async () => {
    const readiness = await checkReadiness({ store: async () => 1, redis: async () => 'PONG', binds: () => [bind('bound'), bind('connecting')] });
    expect(readiness.ready).toBe(true);
    expect(readiness.checks.binds?.up).toBe(1);
  });

  it('an API process has no binds to wait for', async () => {
    const readiness = await checkReadiness({ store: async () => 1 });
    expect(readiness).toEqual({ ready: true, checks: { store: { ok: true } } });
  });

  it('names the part that is down: the store, Redis, or every bind (the refusal, its connection, since when)', async () => {
    const readiness = await checkReadiness({
      store: () => Promise.reject(new Error('SQLITE_BUSY')),
      redis: () => new Promise(() => {}),
      binds: () => [bind('refused', 'ESME_RINVPASWD')],
      timeoutMs: 50,
    });
    expect(readiness.ready).toBe(false);
    expect(readiness.checks.store).toEqual({ ok: false, error: 'SQLITE_BUSY' });
    expect(readiness.checks.redis).toEqual({ ok: false, error: 'no answer within 50 ms' });
    expect(readiness.checks.binds).toEqual({
      ok: false,
      up: 0,
      binds: [{ connection: 'smsc-a', bind: 'transceiver-0', status: 'refused', reason: 'ESME_RINVPASWD', since: '2026-12-03T15:00:00.000Z' }],
    });
  });
});
