import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/domain/errors.js';
import { RedisLimiter, type RedisLimiterOptions } from '../../src/limits/redis-limiter.js';
import { describeIfRedis } from '../support/services.js';
import { parseSendWindows } from '../../src/domain/send-windows.js';
import { admissionContract, sendTo } from './admission-contract.js';
import { freePort } from '../support/free-port.js';

/** Collects what the limiter logs, to check that an outage is logged once. */
function recordingLogger(): { lines: string[]; error: (details: object, msg: string) => void; info: (msg: string) => void } {
  const lines: string[] = [];
  return { lines, error: (_obj, msg) => lines.push(`error: ${msg}`), info: (msg) => lines.push(`info: ${msg}`) };
}

const opened: RedisLimiter[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((limiter) => limiter.close()));
});

function limiter(overrides: Partial<RedisLimiterOptions> & Pick<RedisLimiterOptions, 'url'>): RedisLimiter {
  const created = new RedisLimiter({
    keyPrefix: `test:${randomUUID()}:`,
    numberWindows: parseSendWindows('1/60s'),
    sendRatePerS: 1_000,
    queryRatePerS: 1_000,
    logger: recordingLogger(),
    ...overrides,
  });
  opened.push(created);
  return created;
}

async function expectUnavailableWithin(ms: number, check: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  const error = await check().then(() => undefined, (caught: unknown) => caught);
  expect(isGatewayError(error) ? error.code : error).toBe('LIMITER_UNAVAILABLE');
  expect(performance.now() - started).toBeLessThan(ms);
}

await describeIfRedis('RedisLimiter against Redis', (url) => {
  async function connected(overrides: Partial<RedisLimiterOptions> = {}): Promise<RedisLimiter> {
    const created = limiter({ url, ...overrides });
    expect(await created.ready(2_000)).toBe(true);
    return created;
  }

  admissionContract(async ({ numberWindows, sendRatePerS, instances }) => {
    const keyPrefix = `test:${randomUUID()}:`;
    return Promise.all(Array.from({ length: instances ?? 1 }, () => connected({ keyPrefix, numberWindows, sendRatePerS: sendRatePerS ?? 1_000 })));
  });

  it('no number window (SMSGATE_PER_NUMBER_LIMITS=none) allows every send to one number, and cancels', async () => {
    // Found by test/reliability/redis.test.ts with the one-interval rule: Redis refused `SET ... PX 0`, so every send got 503.
    const subject = await connected({ numberWindows: [] });
    const admissions = [await subject.admitSend(sendTo('+8613800138002')), await subject.admitSend(sendTo('+8613800138002'))];
    expect(admissions.map((d) => d.allowed)).toEqual([true, true]);
    const first = admissions[0]!;
    if (first.allowed) await subject.cancelSend(sendTo('+8613800138002'), first.at);
  });

  it('frees a number when its window has passed', async () => {
    const subject = await connected({ numberWindows: [{ limit: 1, ms: 150, label: '1/0.15s' }] });
    expect((await subject.admitSend(sendTo('+14155550124'))).allowed).toBe(true);
    expect(await subject.admitSend(sendTo('+14155550124'))).toMatchObject({ allowed: false, step: 'number-window' });
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await subject.admitSend(sendTo('+14155550124'))).allowed).toBe(true);
  });

  it('holds the send rate across instances, apart from the query rate', async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const [a, b] = [await connected({ keyPrefix, sendRatePerS: 10, queryRatePerS: 5 }), await connected({ keyPrefix, sendRatePerS: 10, queryRatePerS: 5 })];
    const sends = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).admitSend(sendTo(`+86138001381${String(i).padStart(2, '0')}`))));
    // 10 in the bucket; at 10/s a slow machine may refill one more during the burst.
    expect(sends.filter((d) => d.allowed).length).toBeGreaterThanOrEqual(10);
    expect(sends.filter((d) => d.allowed).length).toBeLessThanOrEqual(11);
    expect(sends.find((d) => !d.allowed)).toMatchObject({ allowed: false, step: 'global-rate' });
    const queries = await Promise.all(Array.from({ length: 10 }, () => a.takeQuery()));
    expect(queries.filter((d) => d.allowed).length).toBeGreaterThanOrEqual(5);
    expect(queries.filter((d) => d.allowed).length).toBeLessThanOrEqual(6);
  });
});

describe('RedisLimiter without Redis', () => {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  afterEach(async () => {
    // close() waits for open connections, and the hung server's peer may still hold one.
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  it('fails every check fast on a closed port, and logs the outage once', async () => {
    const logger = recordingLogger();
    const subject = limiter({ url: `redis://127.0.0.1:${await freePort()}`, logger });
    expect(await subject.ready(300)).toBe(false);
    await expectUnavailableWithin(1_000, () => subject.admitSend(sendTo('+14155550123')));
    await expectUnavailableWithin(1_000, () => subject.cancelSend(sendTo('+14155550123'), Date.now()));
    await expectUnavailableWithin(1_000, () => subject.takeQuery());
    expect(logger.lines.filter((line) => line.startsWith('error:'))).toHaveLength(1);
  });

  it('says when to retry: the 503 of an outage carries Retry-After', async () => {
    // Found by test/reliability/redis.test.ts: the outage's 503 had no Retry-After.
    const subject = limiter({ url: `redis://127.0.0.1:${await freePort()}` });
    const error = await subject.admitSend(sendTo('+14155550123')).then(() => undefined, (caught: unknown) => caught);
    expect(isGatewayError(error) ? error.retryAfterS : error).toBe(1);
  });

  it('fails within the command timeout when Redis accepts but never answers', async () => {
    // Answers only what ioredis sends on connecting (CLIENT SETINFO, the INFO ready check), in
    // order, then goes silent: a hung server.
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', (data) => {
        for (const [command] of data.toString().matchAll(/\r\nSETINFO\r\n|\r\ninfo\r\n/gi)) {
          const body = 'loading:0\r\n';
          socket.write(/setinfo/i.test(command) ? '+OK\r\n' : `$${body.length}\r\n${body}\r\n`);
        }
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const subject = limiter({ url: `redis://127.0.0.1:${port}`, commandTimeoutMs: 300 });
    expect(await subject.ready(1_000)).toBe(true);
    await expectUnavailableWithin(1_000, () => subject.admitSend(sendTo('+14155550123')));
  });
});
