import { describe, expect, it } from 'vitest';
import { fleetReadiness, type Readiness } from './readiness.js';

const workerReady: Readiness = { ready: true, checks: { store: { ok: true }, redis: { ok: true } } };
const redisDown: Readiness = { ready: false, checks: { store: { ok: true }, redis: { ok: false, error: 'Connection is closed.' } } };
const primary: Readiness = { ready: true, checks: { store: { ok: true }, binds: { ok: true, up: 1, binds: [] } } };

describe('fleetReadiness: one answer for the primary and its API workers', () => {
  it('is ready when the primary and every worker are', () => {
    expect(fleetReadiness(primary, [workerReady, workerReady])).toEqual({
      ready: true,
      checks: { store: { ok: true }, redis: { ok: true }, binds: { ok: true, up: 1, binds: [] }, workers: { ok: true, ready: 2, of: 2 } },
    });
  });

  it('names Redis down when a worker finds it so', () => {
    const answer = fleetReadiness(primary, [redisDown, redisDown]);
    expect(answer.ready).toBe(false);
    expect(answer.checks.redis).toEqual({ ok: false, error: 'Connection is closed.' });
    expect(answer.checks.workers).toEqual({ ok: false, ready: 0, of: 2 });
  });

  it('serves while one worker is ready; a worker that does not answer is not counted ready', () => {
    expect(fleetReadiness(primary, [workerReady, undefined]).checks.workers).toEqual({ ok: true, ready: 1, of: 2 });
    expect(fleetReadiness(undefined, [undefined]).ready).toBe(false);
  });
});
