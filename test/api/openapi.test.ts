import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY_ANSWER_SAMPLE, QUERY_SAMPLE, SEND_ANSWER_SAMPLE, SEND_SAMPLE } from '../../src/api/schemas.js';
import { startTestGateway, type TestGateway } from '../support/gateway-harness.js';

let gw: TestGateway;
let adminUrl: string;
beforeAll(async () => {
  gw = await startTestGateway();
  adminUrl = `http://127.0.0.1:${gw.gateway.adminPort}`;
});
afterAll(() => gw.close());

async function documentAt(url: string): Promise<any> {
  const response = await fetch(`${url}/openapi.json`);
  expect(response.status).toBe(200);
  return response.json();
}

async function expectValidOpenApi(document: unknown): Promise<void> {
  const result = await new Validator().validate(document as Parameters<Validator['validate']>[0]);
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
}

/** Validates `value` against a schema of the document, as a client generated from it would. */
function validates(schema: object, value: unknown): boolean {
  const ajv = new Ajv2020.default({ strict: false });
  return ajv.validate(schema, value);
}

describe('the public port', () => {
  it('serves a valid OpenAPI 3.1 document of the seed API, with every error status and its body', async () => {
    const document = await documentAt(gw.url);
    expect(document.openapi).toBe('3.1.0');
    await expectValidOpenApi(document);
    expect(Object.keys(document.paths).sort()).toEqual(['/api/sms/v1/querysms', '/api/sms/v1/sendsms']);
    for (const path of ['/api/sms/v1/sendsms', '/api/sms/v1/querysms']) {
      const responses = document.paths[path].post.responses;
      for (const status of ['200', '400', '401', '403', '404', '405', '413', '429', '500', '503']) {
        expect(responses[status], `${path} ${status}`).toBeDefined();
      }
      const error = responses['401'].content['application/json'].schema;
      expect(validates(error, { error_code: '401', error_message: 'client_id or passcode is wrong' })).toBe(true);
      expect(validates(error, { error_code: 401 })).toBe(false);
    }
  });

  it("carries the seed's samples, and they validate against its schemas", async () => {
    const document = await documentAt(gw.url);
    const send = document.paths['/api/sms/v1/sendsms'].post;
    const query = document.paths['/api/sms/v1/querysms'].post;
    const sendBody = send.requestBody.content['application/json'];
    expect(JSON.stringify(sendBody)).toContain('ARDOR-7JF3-8F2E-QUWZ-CAN7F');
    expect(validates(sendBody.schema, SEND_SAMPLE)).toBe(true);
    expect(validates(sendBody.schema, { ...SEND_SAMPLE, phone_number: undefined })).toBe(false);
    expect(validates(query.requestBody.content['application/json'].schema, QUERY_SAMPLE)).toBe(true);
    expect(validates(send.responses['200'].content['application/json'].schema, SEND_ANSWER_SAMPLE)).toBe(true);
    expect(validates(query.responses['200'].content['application/json'].schema, QUERY_ANSWER_SAMPLE)).toBe(true);
  });

  it('renders it at /docs from the package, with no CDN', async () => {
    const page = await fetch(`${gw.url}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/swagger-ui/i);
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^"']*\.(js|css)/);
  });
});

describe('the admin port', () => {
  it('serves its own valid document: every admin endpoint, behind the bearer token or the console cookie', async () => {
    const document = await documentAt(adminUrl);
    await expectValidOpenApi(document);
    expect(Object.keys(document.paths).sort()).toEqual([
      '/admin/v1/clients',
      '/admin/v1/clients/{id}',
      '/admin/v1/clients/{id}/rotate',
      '/admin/v1/live',
      '/admin/v1/messages',
      '/admin/v1/messages/{sms_uid}',
      '/admin/v1/stats',
      '/admin/v1/templates',
      '/admin/v1/templates/preview',
      '/admin/v1/templates/{id}',
      '/admin/v1/templates/{id}/preview',
      '/console/session',
      '/healthz',
      '/metrics',
      '/readyz',
    ]);
    expect(document.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components.securitySchemes.consoleSession).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'smsgate_console' });
    expect(document.paths['/admin/v1/clients'].post.responses['403']).toBeDefined();
    expect(document.paths['/console/session'].post.security).toEqual([]);
    expect(document.paths['/admin/v1/clients'].post.responses['401']).toBeDefined();
    const page = await fetch(`${adminUrl}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('is not on the public port, nor the public one on the admin port', async () => {
    const publicDocument = await documentAt(gw.url);
    expect(Object.keys(publicDocument.paths).some((path) => path.startsWith('/admin'))).toBe(false);
    const adminDocument = await documentAt(adminUrl);
    expect(Object.keys(adminDocument.paths).some((path) => path.startsWith('/api/sms'))).toBe(false);
  });
});
