import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, requireBuild, runCli, tempDir } from '../support/cli.js';
import { describeIfRedis } from '../support/services.js';

/** `smsgate serve` that cannot start: exit status 2 and one line saying which setting to change. */
const tmp = tempDir('smsgate-serve-fail-');
afterAll(() => tmp.cleanup());
beforeAll(() => requireBuild());

const TOPOLOGIES: [string, Record<string, string>, string[]][] = [
  ['the dispatcher in its thread (default)', {}, []],
  ['the dispatcher in-process', { SMSGATE_DISPATCH_THREAD: 'off' }, []],
  ['a dispatcher-only process', {}, ['--role', 'dispatcher']],
];

describe('a bad carriers file', () => {
  const carriers = join(tmp.dir, 'carriers.json');
  beforeAll(() =>
    writeFileSync(carriers, JSON.stringify({ connections: [{ name: 'a', host: '127.0.0.1', port: 2775, system_id: 'x', window: 0 }] })),
  );

  it.each(TOPOLOGIES)('stops serve with exit 2 and the one line naming the key: %s', async (_name, env, args) => {
    const result = await runCli(['serve', ...args], {
      SMSGATE_DB: join(tmp.dir, `${randomUUID()}.db`),
      SMSGATE_HOST: '127.0.0.1',
      SMSGATE_PORT: '0',
      SMSGATE_CARRIERS: carriers,
      ...env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('smsgate: SMSGATE_CARRIERS: connections[0].window must be an integer from 1 to 100000');
  });

  it('says so in one JSON object with --json', async () => {
    const result = await runCli(['serve', '--json'], { SMSGATE_DB: join(tmp.dir, 'json.db'), SMSGATE_PORT: '0', SMSGATE_CARRIERS: carriers });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ error_code: 'INVALID_CONFIG', error_message: expect.stringContaining('connections[0].window') });
  });
});

describe('a port already in use', () => {
  let holder: Server;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    return () => new Promise<void>((resolve) => holder.close(() => resolve()));
  });

  const serveOnTakenPort = (env: Record<string, string>) =>
    runCli(['serve'], { SMSGATE_DB: join(tmp.dir, `${randomUUID()}.db`), SMSGATE_HOST: '127.0.0.1', SMSGATE_PORT: String(port), SMSGATE_LOG_LEVEL: 'silent', ...env });

  it.each(TOPOLOGIES.slice(0, 2))('stops serve with exit 2, naming the port and SMSGATE_PORT: %s', async (_name, env) => {
    const result = await serveOnTakenPort(env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`smsgate: port ${port} on 127.0.0.1 is already in use: set SMSGATE_PORT to another port`);
    expect(result.stderr).not.toMatch(/EADDRINUSE/);
  });

  describe('with SMSGATE_HTTP_WORKERS', async () => {
    await describeIfRedis('two API workers', (redisUrl) => {
      it('stops the primary too, with exit 2, instead of forking workers forever', async () => {
        const result = await serveOnTakenPort({ SMSGATE_HTTP_WORKERS: '2', SMSGATE_REDIS_URL: redisUrl, SMSGATE_REDIS_PREFIX: `test-port-${randomUUID()}:` });
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use: set SMSGATE_PORT`);
      });

      it('stops with exit 2 when the admin port is taken: the primary binds it once, for every worker', async () => {
        const result = await serveOnTakenPort({
          SMSGATE_PORT: '0',
          SMSGATE_ADMIN_PORT: String(port),
          SMSGATE_HTTP_WORKERS: '2',
          SMSGATE_REDIS_URL: redisUrl,
          SMSGATE_REDIS_PREFIX: `test-port-${randomUUID()}:`,
        });
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(`admin port ${port} on 127.0.0.1 is already in use: set SMSGATE_ADMIN_PORT`);
      });
    });
  });
});
