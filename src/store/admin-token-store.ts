/**
 * The admin API's bearer token, as a hash only (domain/admin-token.ts): SQLite keeps it in its
 * `meta` table, PostgreSQL in a column of its one `meta` row.
 */
export interface AdminTokenStore {
  /** Undefined until a token was made. */
  adminTokenHash(): Promise<string | undefined>;
  /**
   * Stores the hash only when none is stored yet, so that of two processes starting at once one
   * token wins. False when one was there already.
   */
  initAdminTokenHash(hash: string): Promise<boolean>;
  /** Replaces the stored hash (rotation): the old token stops working. */
  setAdminTokenHash(hash: string): Promise<void>;
}
