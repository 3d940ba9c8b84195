import { describe, expect, it } from 'vitest';
import { hashAdminToken } from '../domain/admin-token.js';
import { CONSOLE_SESSION_MS } from '../domain/console-session.js';
import { GatewayError } from '../domain/errors.js';
import { AdminTokenService } from './admin-token-service.js';
import { ConsoleSessions } from './console-sessions.js';

/** An admin token kept as a stored hash, as the store keeps it. */
function tokenStore(token: string) {
  let hash: string | undefined = hashAdminToken(token);
  return {
    adminTokenHash: async () => hash,
    initAdminTokenHash: async (h: string) => ((hash ??= h), true),
    setAdminTokenHash: async (h: string) => void (hash = h),
  };
}

function sessionsAt(clock: { now: number }, token = 'sgadm_first') {
  const tokens = new AdminTokenService(tokenStore(token), undefined);
  return { tokens, sessions: new ConsoleSessions(tokens, () => clock.now) };
}

describe('console sessions', () => {
  it('logs in with the admin token only, for 8 hours', async () => {
    const clock = { now: 1_796_000_000_000 };
    const { sessions } = sessionsAt(clock);
    await expect(sessions.login('wrong')).rejects.toSatisfy((e) => e instanceof GatewayError && e.code === 'ADMIN_AUTH_FAILED');
    const login = await sessions.login('sgadm_first');
    expect(login.expiresAt).toBe(clock.now + CONSOLE_SESSION_MS);
    expect(await sessions.check(login.value)).toEqual({ expiresAt: login.expiresAt, nonce: login.nonce });
    clock.now += CONSOLE_SESSION_MS - 1;
    expect(await sessions.check(login.value)).toBeDefined();
    clock.now += 1;
    expect(await sessions.check(login.value)).toBeUndefined();
  });

  it('refuses a logged-out cookie, and only that one', async () => {
    const clock = { now: 1_796_000_000_000 };
    const { sessions } = sessionsAt(clock);
    const kept = await sessions.login('sgadm_first');
    const ended = await sessions.login('sgadm_first');
    await sessions.logout(ended.value);
    expect(await sessions.check(ended.value)).toBeUndefined();
    expect(await sessions.check(kept.value)).toBeDefined();
    // Logging out something that is no session changes nothing.
    await sessions.logout('v1.nonsense');
    await sessions.logout(undefined);
    expect(await sessions.check(kept.value)).toBeDefined();
  });

  it('ends every session when the token is rotated, in every process sharing the store', async () => {
    const clock = { now: 1_796_000_000_000 };
    const store = tokenStore('sgadm_first');
    const here = new ConsoleSessions(new AdminTokenService(store, undefined), () => clock.now);
    const there = new ConsoleSessions(new AdminTokenService(store, undefined), () => clock.now);
    const login = await here.login('sgadm_first');
    expect(await there.check(login.value)).toBeDefined();
    const next = await new AdminTokenService(store, undefined).rotate();
    expect(await here.check(login.value)).toBeUndefined();
    expect(await there.check(login.value)).toBeUndefined();
    await expect(here.login('sgadm_first')).rejects.toThrow(/wrong/);
    expect(await there.check((await here.login(next)).value)).toBeDefined();
  });

  it('has no session to give before any admin token exists', async () => {
    const none = { adminTokenHash: async () => undefined, initAdminTokenHash: async () => true, setAdminTokenHash: async () => {} };
    const sessions = new ConsoleSessions(new AdminTokenService(none, undefined));
    await expect(sessions.login('')).rejects.toThrow(/wrong/);
    expect(await sessions.check('v1.1.2.3')).toBeUndefined();
  });
});
