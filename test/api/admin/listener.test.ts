import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminServer, type AdminRouteGroup } from '../../../src/api/admin/admin-server.js';
import { httpLimitsOf } from '../../../src/compose/api-part.js';
import { loadConfig } from '../../../src/config/config.js';
import { startTestGateway, type TestGateway } from '../../support/gateway-harness.js';

const TOKEN = 'the-admin-token';
const groups: AdminRouteGroup[] = [
  { name: 'secret', routes: async (app) => void app.get('/admin/v1/ping', async () => ({ pong: true })) },
  { name: 'health', tokenExempt: true, routes: async (app) => void app.get('/healthz', async () => ({ status: 'ok' })) },
];

async function listen(metricsTokenRequired: boolean) {
  const app = buildAdminServer({
    logger: pino({ level: 'silent' }),
    limits: httpLimitsOf(loadConfig({})),
    verifyToken: async (presented) => presented === TOKEN,
    metricsTokenRequired,
    groups,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return { app, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

describe('the admin listener', () => {
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => (server = await listen(false)));
  afterAll(() => server.app.close());

  it('answers a route group behind the bearer token, with Cache-Control: no-store', async () => {
    const ok = await fetch(`${server.url}/admin/v1/ping`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(await ok.json()).toEqual({ pong: true });
  });

  it.each([
    ['no token', undefined],
    ['a wrong token', `Bearer ${TOKEN}x`],
    ['another scheme', `Basic ${TOKEN}`],
  ])('answers %s with 401 in the public error shape', async (_name, authorization) => {
    const denied = await fetch(`${server.url}/admin/v1/ping`, { headers: authorization ? { authorization } : {} });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('cache-control')).toBe('no-store');
    expect(denied.headers.get('www-authenticate')).toBe('Bearer');
    expect(await denied.json()).toEqual({ error_code: '401', error_message: expect.stringMatching(/admin token/) });
  });

  it('serves a token-exempt group without the token, and 404s in the error shape', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const missing = await fetch(`${server.url}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBe('no-store');
    expect(await missing.json()).toMatchObject({ error_code: '404' });
  });
});

it('SMSGATE_METRICS_TOKEN_REQUIRED=true puts the exempt groups behind the token too', async () => {
  const server = await listen(true);
  try {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(401);
    expect((await fetch(`${server.url}/healthz`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  } finally {
    await server.app.close();
  }
});

describe('the composed gateway', () => {
  let gw: TestGateway;
  beforeAll(async () => (gw = await startTestGateway()));
  afterAll(() => gw.close());

  it('listens on the admin port beside the public one', async () => {
    expect(gw.gateway.adminPort).toBeGreaterThan(0);
    expect(gw.gateway.adminPort).not.toBe(gw.port);
    const answer = await fetch(`http://127.0.0.1:${gw.gateway.adminPort}/nothing-here`);
    expect(answer.status).toBe(404);
  });
});
