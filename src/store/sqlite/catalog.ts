import { GatewayError } from '../../domain/errors.js';
import type { Template } from '../../domain/template.js';
import type { ClientRecord } from '../catalog-store.js';
import type { Statements } from './statements.js';
import type { WriteCombiner } from './write-combiner.js';

/**
 * Clients and templates, and the admin token's hash. Every catalog change bumps meta's catalog_version in the same write, so a
 * reader that sees the new version also sees the change.
 */
export class SqliteCatalog {
  constructor(
    private readonly sql: Statements,
    private readonly writes: WriteCombiner,
  ) {}

  async version(): Promise<number> {
    return (this.sql.catalogVersion.get() as { value: number }).value;
  }

  async addClient(clientId: string, passcodeHash: string, now: number): Promise<void> {
    await this.change(() => {
      const added = this.sql.insertClient.run(clientId, passcodeHash, now);
      if (added.changes === 0) throw new GatewayError('CLIENT_EXISTS', `client ${clientId} exists already`);
    });
  }

  async listClients(): Promise<ClientRecord[]> {
    const rows = this.sql.listClients.all() as { client_id: string; passcode_hash: string; enabled: number; created_at: number }[];
    return rows.map((row) => ({
      clientId: row.client_id,
      passcodeHash: row.passcode_hash,
      enabled: row.enabled === 1,
      createdAt: row.created_at,
    }));
  }

  async setClientPasscodeHash(clientId: string, passcodeHash: string): Promise<void> {
    await this.change(() => expectClient(this.sql.setPasscodeHash.run(passcodeHash, clientId).changes, clientId));
  }

  async setClientEnabled(clientId: string, enabled: boolean): Promise<void> {
    await this.change(() => expectClient(this.sql.setEnabled.run(enabled ? 1 : 0, clientId).changes, clientId));
  }

  async addTemplate(template: Template): Promise<void> {
    await this.change(() => {
      const added = this.sql.insertTemplate.run(template.templetId, template.body, template.clientId);
      if (added.changes === 0) throw new GatewayError('TEMPLATE_EXISTS', `template ${template.templetId} exists already`);
    });
  }

  async listTemplates(): Promise<Template[]> {
    const rows = this.sql.listTemplates.all() as { templet_id: string; body: string; client_id: string | null }[];
    return rows.map((row) => ({ templetId: row.templet_id, body: row.body, clientId: row.client_id }));
  }

  async removeTemplate(templetId: string): Promise<boolean> {
    return this.change(() => this.sql.deleteTemplate.run(templetId).changes > 0);
  }

  async adminTokenHash(): Promise<string | undefined> {
    return (this.sql.adminTokenHash.get() as { value: string } | undefined)?.value;
  }

  async initAdminTokenHash(hash: string): Promise<boolean> {
    return this.writes.run(() => this.sql.initAdminTokenHash.run(hash).changes > 0);
  }

  async setAdminTokenHash(hash: string): Promise<void> {
    await this.writes.run(() => this.sql.setAdminTokenHash.run(hash));
  }

  private change<T>(change: () => T): Promise<T> {
    return this.writes.run(() => {
      const result = change();
      this.sql.bumpCatalog.run();
      return result;
    });
  }
}

function expectClient(changes: number, clientId: string): void {
  if (changes === 0) throw new GatewayError('CLIENT_NOT_FOUND', `no client ${clientId}`);
}
