import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashAdminToken } from '../../../src/domain/admin-token.js';
import { consoleSessionKey, signConsoleSession } from '../../../src/domain/console-session.js';
import { AdminTokenService } from '../../../src/services/admin-token-service.js';
import { describeIfPostgres } from '../../support/services.js';
import { ADMIN_TOKEN, startAdminGateway, type AdminGateway, type StoreKind } from './admin-harness.js';

const EIGHT_HOURS_S = 8 * 60 * 60;

interface Answer {
  status: number;
  headers: Headers;
  json: any;
}

async function call(url: string, method: string, options: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: {
      ...(options.cookie !== undefined && { cookie: `smsgate_console=${options.cookie}` }),
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  const json: unknown = response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text;
  return { status: response.status, headers: response.headers, json };
}

/** Logs in with `token`; answers the cookie's value. */
async function login(adminUrl: string, token: string): Promise<string> {
  const answer = await call(`${adminUrl}/console/session`, 'POST', { body: { token } });
  expect(answer.status).toBe(204);
  return /^smsgate_console=([^;]+);/.exec(answer.headers.get('set-cookie') ?? '')![1]!;
}

function consoleSessionSuite(name: string, storeKind: () => StoreKind): void {
  describe(`console session over HTTP: ${name}`, () => {
    let gw: AdminGateway;
    beforeAll(async () => {
      gw = await startAdminGateway(storeKind(), { SMSGATE_METRICS_TOKEN_REQUIRED: 'true' });
      expect((await gw.admin('POST', '/admin/v1/clients', { client_id: 'shop_01' })).status).toBe(201);
      expect((await gw.admin('POST', '/admin/v1/templates', { templet_id: 't1', text: 'Code ${code}' })).status).toBe(201);
    });
    afterAll(() => gw?.close());

    it('logs in with the admin token: 204 and an HttpOnly, SameSite=Strict cookie for 8 hours (not Secure over plain HTTP)', async () => {
      const answer = await call(`${gw.adminUrl}/console/session`, 'POST', { body: { token: ADMIN_TOKEN } });
      expect(answer.status).toBe(204);
      const cookie = answer.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^smsgate_console=v1\.[\w.-]+; HttpOnly; SameSite=Strict; Path=\/; Max-Age=28800$/);
      expect(cookie).not.toMatch(/Secure/);
      const value = /^smsgate_console=([^;]+);/.exec(cookie)![1]!;
      const session = await call(`${gw.adminUrl}/console/session`, 'GET', { cookie: value });
      expect(session.status).toBe(200);
      // The public API's address, for the Clients page's ready curl command.
      expect(session.json).toEqual({ logged_in: true, expires_at: expect.any(String), public_url: gw.url });
      const left = (Date.parse(session.json.expires_at) - Date.now()) / 1000;
      expect(left).toBeGreaterThan(EIGHT_HOURS_S - 60);
      expect(left).toBeLessThanOrEqual(EIGHT_HOURS_S);
    });

    it('refuses a wrong token with 401 in the error shape, and a missing one with 400; sets no cookie', async () => {
      const wrong = await call(`${gw.adminUrl}/console/session`, 'POST', { body: { token: `${ADMIN_TOKEN}x` } });
      expect(wrong.status).toBe(401);
      expect(wrong.json).toEqual({ error_code: '401', error_message: 'the admin token is wrong' });
      expect(wrong.headers.get('set-cookie')).toBeNull();
      const missing = await call(`${gw.adminUrl}/console/session`, 'POST', { body: {} });
      expect(missing.status).toBe(400);
      expect(missing.json).toEqual({ error_code: '400', error_message: 'token is required' });
      expect((await call(`${gw.adminUrl}/console/session`, 'GET')).status).toBe(401);
    });

    it('takes the cookie instead of the bearer token on the admin API and on /metrics', async () => {
      const cookie = await login(gw.adminUrl, ADMIN_TOKEN);
      const clients = await call(`${gw.adminUrl}/admin/v1/clients`, 'GET', { cookie });
      expect(clients.status).toBe(200);
      expect(clients.json.clients.map((c: { client_id: string }) => c.client_id)).toContain('shop_01');
      const metrics = await call(`${gw.adminUrl}/metrics`, 'GET', { cookie });
      expect(metrics.status).toBe(200);
      expect(metrics.json).toMatch(/smsgate_sends_accepted_total/);
      expect((await call(`${gw.adminUrl}/metrics`, 'GET')).status).toBe(401);
      // A cookie that is not a session is refused, not ignored.
      const forged = `${cookie.slice(0, -2)}AA`;
      const refused = await call(`${gw.adminUrl}/admin/v1/clients`, 'GET', { cookie: forged });
      expect(refused.status).toBe(401);
      expect(refused.json).toEqual({ error_code: '401', error_message: expect.stringMatching(/log in again/) });
    });

    it('refuses a change made with the cookie without X-Smsgate-Console: 1, or from another origin (CSRF)', async () => {
      const cookie = await login(gw.adminUrl, ADMIN_TOKEN);
      const clients = `${gw.adminUrl}/admin/v1/clients`;
      const bare = await call(clients, 'POST', { cookie, body: { client_id: 'csrf_a' } });
      expect(bare.status).toBe(403);
      expect(bare.json).toEqual({ error_code: '403', error_message: expect.stringMatching(/X-Smsgate-Console: 1/) });
      const wrongValue = await call(clients, 'POST', { cookie, body: { client_id: 'csrf_a' }, headers: { 'x-smsgate-console': 'yes' } });
      expect(wrongValue.status).toBe(403);
      for (const origin of ['https://evil.example', 'null', gw.adminUrl.replace('127.0.0.1', 'localhost'), gw.url]) {
        const foreign = await call(clients, 'POST', { cookie, body: { client_id: 'csrf_a' }, headers: { 'x-smsgate-console': '1', origin } });
        expect(foreign.status, origin).toBe(403);
        expect(foreign.json.error_message, origin).toMatch(/another origin/);
      }
      const template = await call(`${gw.adminUrl}/admin/v1/templates/t1`, 'DELETE', { cookie });
      expect(template.status).toBe(403);
      // Nothing refused was done.
      expect((await gw.admin('GET', '/admin/v1/clients')).json.clients.map((c: { client_id: string }) => c.client_id)).not.toContain('csrf_a');
      expect((await gw.admin('GET', '/admin/v1/templates')).json.templates.map((t: { templet_id: string }) => t.templet_id)).toContain('t1');

      const sameOrigin = await call(clients, 'POST', { cookie, body: { client_id: 'csrf_a' }, headers: { 'x-smsgate-console': '1', origin: gw.adminUrl } });
      expect(sameOrigin.status).toBe(201);
      const noOrigin = await call(clients, 'POST', { cookie, body: { client_id: 'csrf_b' }, headers: { 'x-smsgate-console': '1' } });
      expect(noOrigin.status).toBe(201);
      // The bearer token needs neither header: no other site can make a browser send it.
      const bearer = await gw.admin('POST', '/admin/v1/clients', { client_id: 'csrf_c' }, { origin: 'https://evil.example' });
      expect(bearer.status).toBe(201);
    });

    it('logs out: 204, the cookie cleared, and the same cookie refused afterwards even if kept', async () => {
      const cookie = await login(gw.adminUrl, ADMIN_TOKEN);
      const other = await login(gw.adminUrl, ADMIN_TOKEN);
      const out = await call(`${gw.adminUrl}/console/session`, 'DELETE', { cookie });
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toBe('smsgate_console=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0');
      expect((await call(`${gw.adminUrl}/admin/v1/clients`, 'GET', { cookie })).status).toBe(401);
      expect((await call(`${gw.adminUrl}/console/session`, 'GET', { cookie })).status).toBe(401);
      // Another login goes on.
      expect((await call(`${gw.adminUrl}/admin/v1/clients`, 'GET', { cookie: other })).status).toBe(200);
      // Logging out with no session is still a 204 that clears the cookie.
      expect((await call(`${gw.adminUrl}/console/session`, 'DELETE')).status).toBe(204);
    });

    it('refuses an expired cookie, signed with the right key', async () => {
      const key = consoleSessionKey(hashAdminToken(ADMIN_TOKEN));
      const fresh = signConsoleSession(key, Date.now() + 60_000, 'AAAAAAAAAAAAAAAAAAAAAA');
      const expired = signConsoleSession(key, Date.now() - 1, 'AAAAAAAAAAAAAAAAAAAAAA');
      // The same value with a live expiry is accepted: only the time refuses the other.
      expect((await call(`${gw.adminUrl}/admin/v1/clients`, 'GET', { cookie: fresh })).status).toBe(200);
      const refused = await call(`${gw.adminUrl}/admin/v1/clients`, 'GET', { cookie: expired });
      expect(refused.status).toBe(401);
      expect((await call(`${gw.adminUrl}/console/session`, 'GET', { cookie: expired })).status).toBe(401);
    });
  });

  describe(`console sessions and a generated admin token: ${name}`, () => {
    let gw: AdminGateway;
    beforeAll(async () => {
      gw = await startAdminGateway(storeKind(), { SMSGATE_ADMIN_TOKEN: '' });
    });
    afterAll(() => gw?.close());

    it('ends every console session when the token is rotated (smsgate admin token rotate)', async () => {
      const tokens = new AdminTokenService(gw.store, undefined);
      const first = (await tokens.createIfNone())!;
      const cookie = await login(gw.adminUrl, first);
      expect((await call(`${gw.adminUrl}/admin/v1/clients`, 'GET', { cookie })).status).toBe(200);
      const next = await tokens.rotate();
      expect((await call(`${gw.adminUrl}/admin/v1/clients`, 'GET', { cookie })).status).toBe(401);
      expect((await call(`${gw.adminUrl}/console/session`, 'GET', { cookie })).status).toBe(401);
      expect((await call(`${gw.adminUrl}/console/session`, 'POST', { body: { token: first } })).status).toBe(401);
      const again = await login(gw.adminUrl, next);
      expect((await call(`${gw.adminUrl}/admin/v1/clients`, 'GET', { cookie: again })).status).toBe(200);
    });
  });
}

consoleSessionSuite('SQLite', () => ({ kind: 'sqlite' }));
await describeIfPostgres('console session on PostgreSQL', (url) => consoleSessionSuite('PostgreSQL', () => ({ kind: 'postgres', url })));
