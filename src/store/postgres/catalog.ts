import type pg from 'pg';
import { GatewayError } from '../../domain/errors.js';
import type { Template } from '../../domain/template.js';
import type { ClientRecord } from '../catalog-store.js';
import { inTransaction, sqlState, type Queryable } from './pool.js';

const UNIQUE_VIOLATION = '23505';

/**
 * Clients and templates, and the admin token's hash. Every catalog change bumps meta.catalog_version in the same transaction, so a
 * process that sees the new version also sees the change.
 */
export class PostgresCatalog {
  constructor(private readonly pool: pg.Pool) {}

  async version(): Promise<number> {
    const result = await this.pool.query<{ catalog_version: number }>('SELECT catalog_version FROM meta');
    return result.rows[0]!.catalog_version;
  }

  async addClient(clientId: string, passcodeHash: string, now: number): Promise<void> {
    try {
      await this.change(
        'INSERT INTO clients (client_id, passcode_hash, enabled, created_at) VALUES ($1, $2, true, $3)',
        [clientId, passcodeHash, now],
      );
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION) {
        throw new GatewayError('CLIENT_EXISTS', `client "${clientId}" already exists`, { cause: error });
      }
      throw error;
    }
  }

  async listClients(): Promise<ClientRecord[]> {
    const result = await this.pool.query<{ client_id: string; passcode_hash: string; enabled: boolean; created_at: number }>(
      'SELECT client_id, passcode_hash, enabled, created_at FROM clients ORDER BY client_id',
    );
    return result.rows.map((row) => ({
      clientId: row.client_id,
      passcodeHash: row.passcode_hash,
      enabled: row.enabled,
      createdAt: row.created_at,
    }));
  }

  async setClientPasscodeHash(clientId: string, passcodeHash: string): Promise<void> {
    await this.changeClient(clientId, 'UPDATE clients SET passcode_hash = $2 WHERE client_id = $1', [clientId, passcodeHash]);
  }

  async setClientEnabled(clientId: string, enabled: boolean): Promise<void> {
    await this.changeClient(clientId, 'UPDATE clients SET enabled = $2 WHERE client_id = $1', [clientId, enabled]);
  }

  async addTemplate(template: Template): Promise<void> {
    try {
      await this.change('INSERT INTO templates (templet_id, body, client_id) VALUES ($1, $2, $3)', [
        template.templetId,
        template.body,
        template.clientId,
      ]);
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION) {
        throw new GatewayError('TEMPLATE_EXISTS', `template "${template.templetId}" already exists`, { cause: error });
      }
      throw error;
    }
  }

  async listTemplates(): Promise<Template[]> {
    const result = await this.pool.query<{ templet_id: string; body: string; client_id: string | null }>(
      'SELECT templet_id, body, client_id FROM templates ORDER BY templet_id',
    );
    return result.rows.map((row) => ({ templetId: row.templet_id, body: row.body, clientId: row.client_id }));
  }

  async removeTemplate(templetId: string): Promise<boolean> {
    return (await this.change('DELETE FROM templates WHERE templet_id = $1', [templetId])) > 0;
  }

  async adminTokenHash(): Promise<string | undefined> {
    const result = await this.pool.query<{ admin_token_hash: string | null }>('SELECT admin_token_hash FROM meta');
    return result.rows[0]?.admin_token_hash ?? undefined;
  }

  async initAdminTokenHash(hash: string): Promise<boolean> {
    const result = await this.pool.query('UPDATE meta SET admin_token_hash = $1 WHERE admin_token_hash IS NULL', [hash]);
    return (result.rowCount ?? 0) > 0;
  }

  async setAdminTokenHash(hash: string): Promise<void> {
    await this.pool.query('UPDATE meta SET admin_token_hash = $1', [hash]);
  }

  private async changeClient(clientId: string, sql: string, values: unknown[]): Promise<void> {
    if ((await this.change(sql, values)) === 0) {
      throw new GatewayError('CLIENT_NOT_FOUND', `client "${clientId}" does not exist`);
    }
  }

  /** Runs one catalog statement; bumps the version only when it changed a row. */
  private change(sql: string, values: unknown[]): Promise<number> {
    return inTransaction(this.pool, async (client: Queryable) => {
      const changed = (await client.query(sql, values)).rowCount ?? 0;
      if (changed > 0) await client.query('UPDATE meta SET catalog_version = catalog_version + 1');
      return changed;
    });
  }
}
