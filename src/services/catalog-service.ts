import { validateClientId } from '../domain/client-id.js';
import { GatewayError } from '../domain/errors.js';
import { generatePasscode, hashPasscode } from '../domain/passcode.js';
import { validateTemplateDefinition, type Template } from '../domain/template.js';
import type { CatalogStore } from '../store/catalog-store.js';

/** A client as an operator sees it: never its passcode or hash. */
export interface ClientSummary {
  readonly clientId: string;
  readonly enabled: boolean;
  readonly createdAt: number;
}

/** The passcode in clear: returned once, by add and rotate, and stored only as a hash. */
export interface ClientCredentials {
  readonly clientId: string;
  readonly passcode: string;
}

/**
 * The catalog's rules for whoever changes it (the CLI, the admin API): validation, passcode
 * generation and hashing. Failures are GatewayErrors: INVALID_REQUEST, CLIENT_EXISTS,
 * CLIENT_NOT_FOUND, TEMPLATE_EXISTS, TEMPLATE_NOT_FOUND.
 */
export class CatalogService {
  constructor(
    private readonly store: CatalogStore,
    private readonly now: () => number = Date.now,
  ) {}

  async addClient(clientId: string): Promise<ClientCredentials> {
    validateClientId(clientId);
    const passcode = generatePasscode();
    await this.store.addClient(clientId, hashPasscode(clientId, passcode), this.now());
    return { clientId, passcode };
  }

  async listClients(): Promise<ClientSummary[]> {
    return (await this.store.listClients()).map(({ clientId, enabled, createdAt }) => ({ clientId, enabled, createdAt }));
  }

  /** A new passcode; the old one stops working. */
  async rotatePasscode(clientId: string): Promise<ClientCredentials> {
    const passcode = generatePasscode();
    await this.store.setClientPasscodeHash(clientId, hashPasscode(clientId, passcode));
    return { clientId, passcode };
  }

  /** A disabled client's sends and queries are refused (CLIENT_DISABLED); its messages stay. */
  async setClientEnabled(clientId: string, enabled: boolean): Promise<{ clientId: string; enabled: boolean }> {
    await this.store.setClientEnabled(clientId, enabled);
    return { clientId, enabled };
  }

  /** `clientId` null: any client may use it; otherwise that client must exist. */
  async addTemplate(template: Template): Promise<Template> {
    validateTemplateDefinition(template.templetId, template.body);
    const { clientId } = template;
    if (clientId !== null && !(await this.store.listClients()).some((c) => c.clientId === clientId)) {
      throw new GatewayError('CLIENT_NOT_FOUND', `no client ${clientId}`);
    }
    const added = { templetId: template.templetId, body: template.body, clientId };
    await this.store.addTemplate(added);
    return added;
  }

  listTemplates(): Promise<Template[]> {
    return this.store.listTemplates();
  }

  async removeTemplate(templetId: string): Promise<void> {
    if (!(await this.store.removeTemplate(templetId))) {
      throw new GatewayError('TEMPLATE_NOT_FOUND', `no template with templet_id "${templetId}"`);
    }
  }
}
