import { GatewayError } from '../domain/errors.js';
import { PasscodeVerdicts } from '../domain/passcode.js';
import { compileTemplate, type CompiledTemplate } from '../domain/template.js';
import type { CatalogStore, ClientRecord } from '../store/catalog-store.js';
import { PolledCopy, VersionPoll } from './version-poll.js';

/**
 * How soon a running gateway serves a catalog change made elsewhere (the CLI, another process):
 * the CLI promises it, so the poll below runs at twice this rate to keep it with room to spare.
 */
export const CATALOG_PICKUP_MS = 1000;

/** A reload of the catalog: its new version and what it holds now (for the log). */
export interface CatalogReload {
  readonly version: number;
  readonly clients: number;
  readonly templates: number;
}

/**
 * Clients and templates held in memory so that a send reads no table for them. The store's
 * catalog version is polled, so CLI changes reach a running server within `refreshMs`.
 */
export class CatalogCache extends PolledCopy {
  private clients = new Map<string, ClientRecord>();
  /** Passcode checks of this catalog version: a reload (a rotated passcode) starts anew. */
  private passcodes = new PasscodeVerdicts(new Map());
  /** Compiled once per catalog version, not once per send. */
  private templates = new Map<string, CompiledTemplate>();
  protected readonly poll: VersionPoll;
  private loaded = false;

  constructor(
    private readonly store: Pick<CatalogStore, 'catalogVersion' | 'listClients' | 'listTemplates'>,
    refreshMs = CATALOG_PICKUP_MS / 2,
    /** Told of every reload after the first load (a configuration change an operator made). */
    private readonly onReload: (reload: CatalogReload) => void = () => {},
  ) {
    super();
    this.poll = new VersionPoll(() => store.catalogVersion(), (version) => this.reload(version), refreshMs);
  }

  private async reload(version: number): Promise<void> {
    const [clients, templates] = await Promise.all([this.store.listClients(), this.store.listTemplates()]);
    this.clients = new Map(clients.map((c) => [c.clientId, c]));
    this.passcodes = new PasscodeVerdicts(new Map(clients.map((c) => [c.clientId, Buffer.from(c.passcodeHash, 'hex')])));
    this.templates = new Map(templates.map((t) => [t.templetId, compileTemplate(t)]));
    const first = !this.loaded;
    this.loaded = true;
    if (!first) this.onReload({ version, clients: clients.length, templates: templates.length });
  }

  /** The enabled client these credentials prove; one answer for unknown client and wrong passcode. */
  authenticate(clientId: string, passcode: string): ClientRecord {
    const client = this.clients.get(clientId);
    // Checked even for an unknown client, so timing does not tell which client ids exist.
    const matches = this.passcodes.matches(clientId, passcode);
    if (!client || !matches) throw new GatewayError('AUTH_FAILED', 'client_id or passcode is wrong');
    if (!client.enabled) throw new GatewayError('CLIENT_DISABLED', `client ${clientId} is disabled`);
    return client;
  }

  /** The template this client may use. */
  templateFor(templetId: string, clientId: string): CompiledTemplate {
    const template = this.templates.get(templetId);
    if (!template) throw new GatewayError('TEMPLATE_NOT_FOUND', `no template with templet_id "${templetId}"`);
    if (template.clientId !== null && template.clientId !== clientId) {
      throw new GatewayError('TEMPLATE_FORBIDDEN', `template "${templetId}" belongs to another client`);
    }
    return template;
  }
}
