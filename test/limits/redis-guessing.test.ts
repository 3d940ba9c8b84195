import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { guessingPolicy } from '../../src/domain/passcode-guessing.js';
import { RedisLimiter } from '../../src/limits/redis-limiter.js';
import { describeIfRedis } from '../support/services.js';

const opened: RedisLimiter[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((limiter) => limiter.close()));
});

await describeIfRedis('RedisLimiter: passcode guessing', (url) => {
  async function connected(keyPrefix: string, blocks: string[] = []): Promise<RedisLimiter> {
    const created = new RedisLimiter({
      url,
      keyPrefix,
      numberWindows: [],
      sendRatePerS: 1000,
      queryRatePerS: 1000,
      logger: { error: () => {}, info: () => {} },
      guessing: guessingPolicy(20, 50),
      failureLog: { failed: () => {}, blocked: (address, clientId, s) => blocks.push(`${address} ${clientId ?? '*'} ${s}`), flush: () => {} },
    });
    opened.push(created);
    expect(await created.ready(2_000)).toBe(true);
    return created;
  }

  it('counts failures of every API process together: 10 + 10 from one address block it in both', async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const blocks: string[] = [];
    const [a, b] = [await connected(keyPrefix, blocks), await connected(keyPrefix, blocks)];
    for (let i = 0; i < 10; i += 1) await a.recordPasscodeFailure('10.0.0.1', 'acme');
    for (let i = 0; i < 9; i += 1) await b.recordPasscodeFailure('10.0.0.1', 'acme');
    expect((await a.checkPasscodeAttempt('10.0.0.1', 'acme')).allowed).toBe(true);
    await b.recordPasscodeFailure('10.0.0.1', 'acme');
    for (const limiter of [a, b]) {
      const decision = await limiter.checkPasscodeAttempt('10.0.0.1', 'acme');
      expect(decision.allowed).toBe(false);
      expect(decision.retryAfterS).toBeGreaterThanOrEqual(59);
      expect(decision.retryAfterS).toBeLessThanOrEqual(60);
    }
    expect(blocks).toEqual(['10.0.0.1 acme 60']);
    expect((await a.checkPasscodeAttempt('10.0.0.2', 'acme')).allowed).toBe(true);
    expect((await a.checkPasscodeAttempt('10.0.0.1', 'other')).allowed).toBe(true);
  });

  it('blocks an address that sprays client ids, for every client; IPv6 addresses and ids with spaces stay apart', async () => {
    const limiter = await connected(`test:${randomUUID()}:`);
    for (let i = 0; i < 50; i += 1) await limiter.recordPasscodeFailure('::1', `guess ${i}`);
    expect((await limiter.checkPasscodeAttempt('::1', 'acme')).allowed).toBe(false);
    expect((await limiter.checkPasscodeAttempt('::2', 'acme')).allowed).toBe(true);
  });

  it('grows the block when it trips again', async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const blocks: string[] = [];
    const limiter = await connected(keyPrefix, blocks);
    for (let i = 0; i < 20; i += 1) await limiter.recordPasscodeFailure('10.0.0.3', 'acme');
    // The block runs out (made to, rather than waited for): the strikes stay.
    const raw = (limiter as unknown as { redis: import('ioredis').Redis }).redis;
    await raw.hset(`${keyPrefix}guess:p:10.0.0.3 acme`, 'b', String(Date.now() - 1_000));
    expect((await limiter.checkPasscodeAttempt('10.0.0.3', 'acme')).allowed).toBe(true);
    for (let i = 0; i < 20; i += 1) await limiter.recordPasscodeFailure('10.0.0.3', 'acme');
    expect(blocks).toEqual(['10.0.0.3 acme 60', '10.0.0.3 acme 120']);
  });
});
