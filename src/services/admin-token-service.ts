import { adminTokenMatches, generateAdminToken, hashAdminToken } from '../domain/admin-token.js';
import { GatewayError } from '../domain/errors.js';
import type { AdminTokenStore } from '../store/admin-token-store.js';

/**
 * The admin API's bearer token, for everyone who needs it (the first start, `smsgate admin token
 * rotate`, the admin listener): SMSGATE_ADMIN_TOKEN when set, otherwise a generated one whose hash
 * only is stored. A token in clear is returned once, by `createIfNone` and `rotate`.
 */
export class AdminTokenService {
  constructor(
    private readonly store: AdminTokenStore,
    /** SMSGATE_ADMIN_TOKEN; when set, it is the token and nothing is generated or stored. */
    private readonly configured: string | undefined,
  ) {}

  /** The first start: a new token when none is configured or stored; undefined otherwise. */
  async createIfNone(): Promise<string | undefined> {
    if (this.configured !== undefined || (await this.store.adminTokenHash()) !== undefined) return undefined;
    const token = generateAdminToken();
    // Another process starting at the same time may have stored its own first: that one holds.
    return (await this.store.initAdminTokenHash(hashAdminToken(token))) ? token : undefined;
  }

  /** A new generated token; the old one stops working at once. */
  async rotate(): Promise<string> {
    if (this.configured !== undefined) {
      throw new GatewayError('INVALID_CONFIG', 'SMSGATE_ADMIN_TOKEN is set, and it is the admin token: change it there instead');
    }
    const token = generateAdminToken();
    await this.store.setAdminTokenHash(hashAdminToken(token));
    return token;
  }

  /**
   * Whether `presented` is the admin token. The stored hash is read on every check, so a rotation
   * by the CLI holds at once in every running process (admin requests are few).
   */
  async verify(presented: string | undefined): Promise<boolean> {
    const expected = await this.currentHash();
    // Compared even without a token presented, so a missing token costs what a wrong one does.
    const matches = adminTokenMatches(presented ?? '', expected ?? hashAdminToken(''));
    return matches && presented !== undefined && expected !== undefined;
  }

  /**
   * The hash of the admin token now (read from the store per call, as for verify); undefined
   * before the first start made one. Console sessions derive their signing key from it.
   */
  async currentHash(): Promise<string | undefined> {
    return this.configured !== undefined ? hashAdminToken(this.configured) : this.store.adminTokenHash();
  }
}
