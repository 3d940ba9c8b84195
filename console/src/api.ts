/**
 * Every call the console makes: the admin API with the login cookie. Changes carry the
 * X-Smsgate-Console header the server asks of cookie callers (a cross-site form cannot set it).
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Called when an answer says the session is gone (401): the app shows the login again. */
let onUnauthorized: () => void = () => {};
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-smsgate-console'] = '1';
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'the gateway does not answer');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const message =
      typeof json === 'object' && json !== null && 'error_message' in json ? String(json.error_message) : `HTTP ${response.status}`;
    if (response.status === 401 && !path.startsWith('/console/session')) onUnauthorized();
    throw new ApiError(response.status, message);
  }
  return json as T;
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

// Shapes of the admin API's answers (docs/admin.md).

export type Status = 'queuing' | 'sent' | 'delivered' | 'error_rejected' | 'error_undeliverable' | 'error_expired' | 'error_unknown';
export const STATUSES: readonly Status[] = ['queuing', 'sent', 'delivered', 'error_rejected', 'error_undeliverable', 'error_expired', 'error_unknown'];
export const isFinal = (status: Status): boolean => status !== 'queuing' && status !== 'sent';

export interface Session {
  logged_in: boolean;
  expires_at: string;
  /** The public API's address as this browser reaches it (the ready curl command). */
  public_url: string;
}

export interface Client {
  client_id: string;
  enabled: boolean;
  created_at: string | null;
  callback_url: string | null;
  events: 'all' | 'final' | null;
}
export interface Credentials {
  client_id: string;
  passcode: string;
}
export interface PatchedClient extends Client {
  callback_secret?: string;
}

export interface Template {
  templet_id: string;
  text: string;
  client_id: string | null;
}
export interface Preview {
  text: string;
  encoding: 'GSM-7' | 'UCS-2';
  characters: number;
  parts: number;
}

export interface Message {
  sms_uid: string;
  client_id: string;
  templet_id: string;
  phone_number: string;
  text: string;
  status: Status;
  error_code: string;
  part_count: number;
  attempts: number;
  queued_at: string | null;
  sent_at: string | null;
  done_at: string | null;
}
export interface MessageDetail extends Message {
  encoding?: 'GSM-7' | 'UCS-2';
  history: { status: Status; at: string }[];
  parts: { part_no: number; carrier_message_id: string; status: Status; error_code: string; connection: string | null }[];
  callbacks: {
    event_id: string;
    status: Status;
    sequence: number;
    state: 'delivered' | 'owed' | 'dead';
    attempts: number;
    last_error: string | null;
    next_attempt_at: string | null;
    died_at: string | null;
    delivered_at: string | null;
  }[];
}
export interface MessagePage {
  messages: Message[];
  next_cursor: string | null;
}

export interface Live {
  at: string;
  /** false with SMSGATE_METRICS=off: the counters are then all 0. */
  metrics_enabled?: boolean;
  accepted_total: number;
  rejected_total: number;
  delivered_total: number;
  errors_total: number;
  statuses_total: Record<string, number>;
  accept_latency_seconds: { buckets: { le: number | string; count: number }[]; count: number; sum: number };
  queue: { queuing: number; awaiting_receipt: number };
  binds: { connection: string; bind?: string; status?: string; up: boolean; since: string | null; reason: string | null }[];
  recent_errors: {
    at: string;
    kind: 'bind' | 'message';
    connection?: string;
    sms_uid?: string;
    client_id?: string;
    status?: string;
    detail: string;
  }[];
}

export const api = {
  session: () => call<Session>('GET', '/console/session'),
  login: (token: string) => call<void>('POST', '/console/session', { token }),
  logout: () => call<void>('DELETE', '/console/session'),
  live: () => call<Live>('GET', '/admin/v1/live'),
  clients: () => call<{ clients: Client[] }>('GET', '/admin/v1/clients'),
  addClient: (clientId: string) => call<Credentials>('POST', '/admin/v1/clients', { client_id: clientId }),
  rotate: (clientId: string) => call<Credentials>('POST', `/admin/v1/clients/${encodeURIComponent(clientId)}/rotate`),
  patchClient: (clientId: string, patch: { enabled?: boolean; callback_url?: string | null; callback_events?: 'all' | 'final' }) =>
    call<PatchedClient>('PATCH', `/admin/v1/clients/${encodeURIComponent(clientId)}`, patch),
  templates: () => call<{ templates: Template[] }>('GET', '/admin/v1/templates'),
  addTemplate: (template: { templet_id: string; text: string; client_id: string | null }) =>
    call<Template>('POST', '/admin/v1/templates', template),
  removeTemplate: (templetId: string) => call<void>('DELETE', `/admin/v1/templates/${encodeURIComponent(templetId)}`),
  preview: (text: string, contents: Record<string, string>) => call<Preview>('POST', '/admin/v1/templates/preview', { text, contents }),
  messages: (query: URLSearchParams) => call<MessagePage>('GET', `/admin/v1/messages?${query.toString()}`),
  message: (smsUid: string) => call<MessageDetail>('GET', `/admin/v1/messages/${encodeURIComponent(smsUid)}`),
};
