import { validateClientId } from '../domain/client-id.js';
import { GatewayError } from '../domain/errors.js';
import { generatePasscode, hashPasscode } from '../domain/passcode.js';
import { encodeSms } from '../domain/sms-encoding.js';
import { compileTemplate, validateTemplateDefinition, type Template } from '../domain/template.js';
import type { CatalogStore } from '../store/catalog-store.js';

/** A client as an operator sees it: never its passcode or hash. */
export interface ClientSummary {
  readonly clientId: string;
  readonly enabled: boolean;
  readonly createdAt: number;
}

/** What a send with these contents would put on the phone, and what it would cost. */
export interface TemplatePreview {
  readonly text: string;
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** Characters as a person counts them (code points). */
  readonly characters: number;
  /** SMS parts it is sent as. */
  readonly parts: number;
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

  /** Throws CLIENT_NOT_FOUND. */
  async client(clientId: string): Promise<ClientSummary> {
    const found = (await this.listClients()).find((c) => c.clientId === clientId);
    if (!found) throw new GatewayError('CLIENT_NOT_FOUND', `no client ${clientId}`);
    return found;
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

  /**
   * The template rendered with `contents` by the send path's own renderer, and the encoding and
   * part count the carrier would send it with. INVALID_CONTENTS when they do not fit it.
   */
  async previewTemplate(templetId: string, contents: unknown): Promise<TemplatePreview> {
    const template = (await this.store.listTemplates()).find((t) => t.templetId === templetId);
    if (!template) throw new GatewayError('TEMPLATE_NOT_FOUND', `no template with templet_id "${templetId}"`);
    const text = compileTemplate(template).render(contents);
    const encoded = encodeSms(text, 0);
    return { text, encoding: encoded.encoding === 'gsm7' ? 'GSM-7' : 'UCS-2', characters: [...text].length, parts: encoded.parts.length };
  }

  async removeTemplate(templetId: string): Promise<void> {
    if (!(await this.store.removeTemplate(templetId))) {
      throw new GatewayError('TEMPLATE_NOT_FOUND', `no template with templet_id "${templetId}"`);
    }
  }
}
