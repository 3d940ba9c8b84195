import { randomBytes } from 'node:crypto';
import { CONSOLE_SESSION_MS, consoleSessionKey, readConsoleSession, signConsoleSession, type ConsoleSession } from '../domain/console-session.js';
import { GatewayError } from '../domain/errors.js';
import type { AdminTokenService } from './admin-token-service.js';

/** A login: the cookie value to set, and until when it holds. */
export interface ConsoleLogin extends ConsoleSession {
  readonly value: string;
}

/**
 * The web console's logins: the admin token exchanged for a signed, expiring cookie value
 * (src/domain/console-session.ts), checked on every console request. The key is derived from the
 * admin token's hash, read per request like the bearer token's, so a rotated token ends every
 * session in every process at once. A logout is remembered in this process only, until the
 * cookie would have expired anyway: a copy of a logged-out cookie is refused here; another
 * process sharing the admin port (SMSGATE_HTTP_WORKERS) refuses it only after the token rotates
 * or the 8 hours pass (docs/console-server.md).
 */
export class ConsoleSessions {
  /** Nonces of logged-out sessions, with when their cookie expires (then they can be forgotten). */
  private readonly revoked = new Map<string, number>();

  constructor(
    private readonly tokens: Pick<AdminTokenService, 'verify' | 'currentHash'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session for the right admin token; ADMIN_AUTH_FAILED for any other. */
  async login(token: string): Promise<ConsoleLogin> {
    const hash = await this.tokens.currentHash();
    // verify() compares in constant time, exactly as for a bearer token.
    if (hash === undefined || !(await this.tokens.verify(token))) throw new GatewayError('ADMIN_AUTH_FAILED', 'the admin token is wrong');
    const expiresAt = this.now() + CONSOLE_SESSION_MS;
    const nonce = randomBytes(16).toString('base64url');
    return { value: signConsoleSession(consoleSessionKey(hash), expiresAt, nonce), expiresAt, nonce };
  }

  /** The session a cookie value holds, if it is valid now: signed with today's key, unexpired, not logged out. */
  async check(value: string | undefined): Promise<ConsoleSession | undefined> {
    if (value === undefined) return undefined;
    const hash = await this.tokens.currentHash();
    if (hash === undefined) return undefined;
    const session = readConsoleSession(consoleSessionKey(hash), value, this.now());
    return session && !this.revoked.has(session.nonce) ? session : undefined;
  }

  /** Ends the session of this cookie value (if it is a valid one): it is refused from now on. */
  async logout(value: string | undefined): Promise<void> {
    const session = await this.check(value);
    if (!session) return;
    const now = this.now();
    for (const [nonce, expiresAt] of this.revoked) if (expiresAt <= now) this.revoked.delete(nonce);
    this.revoked.set(session.nonce, session.expiresAt);
  }
}
