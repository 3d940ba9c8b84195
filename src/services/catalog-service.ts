import { randomBytes } from 'node:crypto';
import { assertCallbackTarget } from '../callbacks/callback-url-guard.js';
import { CALLBACK_EVENT_CHOICES, type CallbackEventChoice } from '../domain/callback-event.js';
import { validateClientId } from '../domain/client-id.js';
import { GatewayError } from '../domain/errors.js';
import { generatePasscode, hashPasscode } from '../domain/passcode.js';
import { encodeSms } from '../domain/sms-encoding.js';
import { compileTemplate, validateTemplateDefinition, type Template } from '../domain/template.js';
import type { CatalogStore } from '../store/catalog-store.js';

/** A client as an operator sees it: never its passcode, its hash or its callback secret. */
export interface ClientSummary {
  readonly clientId: string;
  readonly enabled: boolean;
  readonly createdAt: number;
  readonly callbackUrl: string | null;
  readonly events: CallbackEventChoice | null;
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

/** The callback secret in clear: returned once, each time a URL is set; receivers verify signatures with it. */
export interface CallbackSettings {
  readonly clientId: string;
  readonly callbackUrl: string;
  readonly events: CallbackEventChoice;
  readonly callbackSecret: string;
}

/**
 * Checks a callback URL (scheme, credentials, and where its host resolves): the real one is
 * callbacks/callback-url-guard.ts with SMSGATE_CALLBACK_ALLOW_PRIVATE; throws CALLBACK_URL_REFUSED.
 */
export type CallbackTargetGuard = (url: string) => Promise<URL>;

/** Without a guard given, only public addresses pass (as with SMSGATE_CALLBACK_ALLOW_PRIVATE=false). */
const PUBLIC_TARGETS_ONLY: CallbackTargetGuard = (url) => assertCallbackTarget(url, false);

/** 32 random bytes: as strong as the HMAC-SHA256 key it is. */
const CALLBACK_SECRET_BYTES = 32;

/** The passcode in clear: returned once, by add and rotate, and stored only as a hash. */
export interface ClientCredentials {
  readonly clientId: string;
  readonly passcode: string;
}

/**
 * The catalog's rules for whoever changes it (the CLI, the admin API): validation, passcode
 * generation and hashing, callback URLs and their secrets. Failures are GatewayErrors:
 * INVALID_REQUEST, CLIENT_EXISTS, CLIENT_NOT_FOUND, TEMPLATE_EXISTS, TEMPLATE_NOT_FOUND,
 * CALLBACK_URL_REFUSED.
 */
export class CatalogService {
  constructor(
    private readonly store: CatalogStore,
    private readonly now: () => number = Date.now,
    private readonly guardCallbackTarget: CallbackTargetGuard = PUBLIC_TARGETS_ONLY,
  ) {}

  async addClient(clientId: string): Promise<ClientCredentials> {
    validateClientId(clientId);
    const passcode = generatePasscode();
    await this.store.addClient(clientId, hashPasscode(clientId, passcode), this.now());
    return { clientId, passcode };
  }

  async listClients(): Promise<ClientSummary[]> {
    return (await this.store.listClients()).map(({ clientId, enabled, createdAt, callback }) => ({
      clientId,
      enabled,
      createdAt,
      callbackUrl: callback?.url ?? null,
      events: callback?.events ?? null,
    }));
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

  /**
   * Points the client's status callbacks at `url` (checked by the guard), hearing every change
   * after `queuing` (`all`) or only the final one. A new secret every time, returned only here.
   */
  async setCallback(clientId: string, request: { url: string; events?: string }): Promise<CallbackSettings> {
    const events = request.events ?? 'all';
    if (!(CALLBACK_EVENT_CHOICES as readonly string[]).includes(events)) {
      throw new GatewayError('INVALID_REQUEST', `events must be one of ${CALLBACK_EVENT_CHOICES.join(', ')}, not "${events}"`);
    }
    const callbackUrl = (await this.guardCallbackTarget(request.url)).href;
    const callbackSecret = randomBytes(CALLBACK_SECRET_BYTES).toString('base64url');
    const choice = events as CallbackEventChoice;
    await this.store.setClientCallback(clientId, { url: callbackUrl, events: choice, secret: callbackSecret });
    return { clientId, callbackUrl, events: choice, callbackSecret };
  }

  /** No more callbacks for the client; events already owed are still sent. */
  async clearCallback(clientId: string): Promise<{ clientId: string; callbackUrl: null }> {
    await this.store.setClientCallback(clientId, null);
    return { clientId, callbackUrl: null };
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
    return preview(template, contents);
  }

  /**
   * The same for a template text not saved yet (the console's preview while one types it):
   * checked as addTemplate checks it (INVALID_REQUEST), then rendered as a send would be.
   */
  previewText(text: string, contents: unknown): TemplatePreview {
    const templetId = 'preview';
    validateTemplateDefinition(templetId, text);
    return preview({ templetId, body: text, clientId: null }, contents);
  }

  async removeTemplate(templetId: string): Promise<void> {
    if (!(await this.store.removeTemplate(templetId))) {
      throw new GatewayError('TEMPLATE_NOT_FOUND', `no template with templet_id "${templetId}"`);
    }
  }
}

/** What the send path would make of this template and contents: its text, encoding and parts. */
function preview(template: Template, contents: unknown): TemplatePreview {
  const text = compileTemplate(template).render(contents);
  const encoded = encodeSms(text, 0);
  return { text, encoding: encoded.encoding === 'gsm7' ? 'GSM-7' : 'UCS-2', characters: [...text].length, parts: encoded.parts.length };
}
