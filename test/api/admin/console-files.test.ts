import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminServer } from '../../../src/api/admin/admin-server.js';
import { consoleGroup } from '../../../src/api/admin/console-routes.js';
import { CONSOLE_DIRECTORY } from '../../../src/compose/admin-groups.js';
import { httpLimitsOf } from '../../../src/compose/api-part.js';
import { loadConfig } from '../../../src/config/config.js';
import { hashAdminToken } from '../../../src/domain/admin-token.js';
import { ConsoleSessions } from '../../../src/services/console-sessions.js';

const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const INDEX = '<!doctype html><title>smsgate console</title><script type="module" src="/console/assets/app-1a2b3c.js"></script>';

async function listen(directory: string, metricsTokenRequired = false) {
  const tokens = { verify: async (t: string | undefined) => t === 'tok', currentHash: async () => hashAdminToken('tok') };
  const app = buildAdminServer({
    logger: pino({ level: 'silent' }),
    limits: httpLimitsOf(loadConfig({})),
    verifyToken: tokens.verify,
    metricsTokenRequired,
    groups: [consoleGroup({ sessions: new ConsoleSessions(tokens), directory, publicApi: { host: '127.0.0.1', port: 8080 } })],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return { app, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

/** A GET with the path sent exactly as written (fetch would resolve `..` before sending). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request(`${url}${path}`, { path }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('the console files on the admin listener', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smsgate-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'app-1a2b3c.js'), 'console.log("console")');
    writeFileSync(join(dir, '.secret'), 'HIDDEN-CONTENT');
    writeFileSync(join(tmpdir(), 'outside-console.txt'), 'OUTSIDE-CONTENT');
    server = await listen(dir, true);
  });
  afterAll(async () => {
    await server.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['/console', '/console/', '/console/messages/0193a5c2-7d4e-7b1a', '/console/live'])(
    'answers %s with index.html, no token, not cached, with the security headers',
    async (path) => {
      const answer = await fetch(`${server.url}${path}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await answer.text()).toBe(INDEX);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('content-security-policy')).toBe(CSP);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
    },
  );

  it('serves a hashed asset as cacheable for good, and HEAD too', async () => {
    const answer = await fetch(`${server.url}/console/assets/app-1a2b3c.js`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/javascript/);
    expect(answer.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(answer.headers.get('content-security-policy')).toBe(CSP);
    expect(await answer.text()).toBe('console.log("console")');
    expect((await fetch(`${server.url}/console/assets/app-1a2b3c.js`, { method: 'HEAD' })).status).toBe(200);
  });

  it('answers a missing file (a name with an extension) 404 in the error shape, not index.html, and never cached', async () => {
    for (const path of ['/console/assets/gone-000.js', '/console/favicon.ico']) {
      const answer = await fetch(`${server.url}${path}`);
      expect(answer.status, path).toBe(404);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(await answer.json()).toEqual({ error_code: '404', error_message: expect.any(String) });
    }
  });

  it('serves nothing outside its directory, nor dot files', async () => {
    for (const path of ['/console/..%2foutside-console.txt', '/console/%2e%2e/outside-console.txt', '/console/assets/..%2f..%2foutside-console.txt', '/console/.secret']) {
      const answer = await rawGet(server.url, path);
      expect(answer.status, path).toBe(404);
      expect(answer.body, path).not.toMatch(/OUTSIDE-CONTENT|HIDDEN-CONTENT/);
      expect(JSON.parse(answer.body), path).toMatchObject({ error_code: '404' });
    }
  });

  it('answers 503 naming `npm run build` while the front end is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'smsgate-console-empty-'));
    const bare = await listen(join(empty, 'console'));
    try {
      for (const path of ['/console', '/console/messages']) {
        const answer = await fetch(`${bare.url}${path}`);
        expect(answer.status).toBe(503);
        expect(await answer.json()).toEqual({ error_code: '503', error_message: expect.stringContaining('npm run build') });
      }
    } finally {
      await bare.app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('where the console files are looked for', () => {
  const packageDist = resolve(import.meta.dirname, '../../../dist/console');

  it('is dist/console/ of the package, from the source and from the build alike', async () => {
    expect(resolve(CONSOLE_DIRECTORY)).toBe(packageDist);
    const built = (await import(pathToFileURL(resolve(import.meta.dirname, '../../../dist/compose/admin-groups.js')).href)) as { CONSOLE_DIRECTORY: string };
    expect(resolve(built.CONSOLE_DIRECTORY)).toBe(packageDist);
  });
});
