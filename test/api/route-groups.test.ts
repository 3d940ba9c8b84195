import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api/server.js';
import { httpLimitsOf } from '../../src/compose/api-part.js';
import { loadConfig } from '../../src/config/config.js';
import { GatewayError } from '../../src/domain/errors.js';

let app: FastifyInstance;
const sent: unknown[] = [];

beforeAll(async () => {
  app = buildApi({
    logger: pino({ level: 'silent' }),
    limits: httpLimitsOf(loadConfig({})),
    trustProxy: false,
    send: { send: async (request) => (sent.push(request), { sms_uid: 'u1', status: 'queuing', error_code: '0' }) },
    query: { query: async () => Promise.reject(new GatewayError('MESSAGE_NOT_FOUND', 'no message')) },
  });
  // Another route group beside the public one, as an admin or metrics group would sit.
  await app.register(async (admin) => {
    admin.get('/admin/ping', async () => ({ pong: true }));
    admin.put('/admin/clients', async (request) => {
      if (!request.body) throw new GatewayError('INVALID_REQUEST', 'a body is needed');
      throw new GatewayError('CLIENT_EXISTS', 'client x exists');
    });
  });
  await app.ready();
});
afterAll(() => app.close());

describe('the public routes are a plugin', () => {
  it('hands the body to the send and query services and answers in the contract shape', async () => {
    const answer = await app.inject({ method: 'POST', url: '/api/sms/v1/sendsms', payload: { client_id: 'c', passcode: 'p', phone_number: '1', templet_id: 't', contents: '[]' } });
    expect(answer.json()).toEqual({ sms_uid: 'u1', status: 'queuing', error_code: '0' });
    expect(sent).toHaveLength(1);
    const missing = await app.inject({ method: 'POST', url: '/api/sms/v1/querysms', payload: { client_id: 'c', passcode: 'p', sms_uid: 'x' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error_code: '404', error_message: 'no message' });
  });
});

describe('another route group shares the error handling, 404 and 405', () => {
  it('its errors map like the public ones, its bodies are parsed as JSON', async () => {
    const answer = await app.inject({ method: 'PUT', url: '/admin/clients', payload: '{"client_id":"x"}', headers: { 'content-type': 'text/plain' } });
    expect(answer.statusCode).toBe(409);
    expect(answer.json()).toEqual({ error_code: '409', error_message: 'client x exists' });
    const malformed = await app.inject({ method: 'PUT', url: '/admin/clients', payload: '{nope', headers: { 'content-type': 'application/json' } });
    expect(malformed.statusCode).toBe(400);
  });

  it('another method on its path is 405 with Allow naming the methods it has', async () => {
    const answer = await app.inject({ method: 'POST', url: '/admin/ping' });
    expect(answer.statusCode).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD');
    expect(answer.json().error_code).toBe('405');
    expect((await app.inject({ method: 'GET', url: '/admin/nothing' })).statusCode).toBe(404);
  });
});
