import { GatewayError } from '../domain/errors.js';
import { PasscodeVerdicts } from '../domain/passcode.js';
import { compileTemplate, type CompiledTemplate } from '../domain/template.js';
import type { CatalogStore, ClientRecord } from '../store/catalog-store.js';

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
export class CatalogCache {
  private clients = new Map<string, ClientRecord>();
  /** Passcode checks of this catalog version: a reload (a rotated passcode) starts anew. */
  private passcodes = new PasscodeVerdicts(new Map());
  /** Compiled once per catalog version, not once per send. */
  private templates = new Map<string, CompiledTemplate>();
  private version = -1;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly store: Pick<CatalogStore, 'catalogVersion' | 'listClients' | 'listTemplates'>,
    private readonly refreshMs = CATALOG_PICKUP_MS / 2,
    /** Told of every reload after the first load (a configuration change an operator made). */
    private readonly onReload: (reload: CatalogReload) => void = () => {},
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => {}), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Reloads when the store's catalog changed; one reload at a time. */
  refresh(): Promise<void> {
    this.refreshing ??= this.reloadIfChanged().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async reloadIfChanged(): Promise<void> {
    const version = await this.store.catalogVersion();
    if (version === this.version) return;
    const [clients, templates] = await Promise.all([this.store.listClients(), this.store.listTemplates()]);
    this.clients = new Map(clients.map((c) => [c.clientId, c]));
    this.passcodes = new PasscodeVerdicts(new Map(clients.map((c) => [c.clientId, Buffer.from(c.passcodeHash, 'hex')])));
    this.templates = new Map(templates.map((t) => [t.templetId, compileTemplate(t)]));
    const first = this.version === -1;
    this.version = version;
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
