import type { CallbackEventChoice } from '../domain/callback-event.js';
import type { Template } from '../domain/template.js';

/**
 * Where a client's status callbacks go. The secret is stored in clear: we sign with it and never
 * check it, so a hash would be useless; it is shown once when set and never listed or logged.
 */
export interface ClientCallback {
  readonly url: string;
  readonly events: CallbackEventChoice;
  readonly secret: string;
}

export interface ClientRecord {
  readonly clientId: string;
  readonly passcodeHash: string;
  readonly enabled: boolean;
  readonly createdAt: number;
  /** null: no callbacks. */
  readonly callback: ClientCallback | null;
}

/**
 * Clients and templates: what the API checks a send against. Every change is committed with a
 * bump of the catalog version in the same transaction, so a process that sees the new version
 * also sees the change. Write rules per adapter: see store.ts.
 */
export interface CatalogStore {
  /** Grows on every catalog change, so caches can tell when to reload. */
  catalogVersion(): Promise<number>;
  /** Throws GatewayError CLIENT_EXISTS. */
  addClient(clientId: string, passcodeHash: string, now: number): Promise<void>;
  listClients(): Promise<ClientRecord[]>;
  /** Throws GatewayError CLIENT_NOT_FOUND. */
  setClientPasscodeHash(clientId: string, passcodeHash: string): Promise<void>;
  /** Throws GatewayError CLIENT_NOT_FOUND. */
  setClientEnabled(clientId: string, enabled: boolean): Promise<void>;
  /** Sets (or, with null, removes) the client's callback; bumps the catalog version. Throws GatewayError CLIENT_NOT_FOUND. */
  setClientCallback(clientId: string, callback: ClientCallback | null): Promise<void>;
  /** Throws GatewayError TEMPLATE_EXISTS. */
  addTemplate(template: Template): Promise<void>;
  listTemplates(): Promise<Template[]>;
  /** False when there was no such template. */
  removeTemplate(templetId: string): Promise<boolean>;
}
