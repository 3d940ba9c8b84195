import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { RedisBindCoordinator } from '../../src/coordination/redis-bind-coordinator.js';
import type { SlotPool } from '../../src/coordination/bind-coordinator.js';
import { describeIfRedis } from '../support/services.js';

/** Short leases so that hand-overs take well under a second. */
const LEASE_MS = 600;
const RENEW_MS = 150;
const POOL: SlotPool = { identity: 'acme@smsc:2775', slots: 4, shared: false };

const started: RedisBindCoordinator[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((c) => c.stop()));
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** What each coordinator last told its listener: the binds that process would have open. */
class OpenBinds {
  readonly byHolder = new Map<string, ReadonlySet<number>>();
  /** Set when two holders were ever told they may open the same slot at the same time. */
  overlap: string | undefined;

  listener(holder: string) {
    return async (_identity: string, slots: ReadonlySet<number>): Promise<void> => {
      for (const [other, theirs] of this.byHolder) {
        if (other !== holder) for (const s of slots) if (theirs.has(s)) this.overlap ??= `${holder} and ${other} both hold slot ${s}`;
      }
      this.byHolder.set(holder, slots);
    };
  }

  of(holder: string): number[] {
    return [...(this.byHolder.get(holder) ?? [])].sort();
  }
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - t0;
}

await describeIfRedis('RedisBindCoordinator against Redis', (url) => {
  const prefix = () => `test:${randomUUID()}:`;
  function coordinator(keyPrefix: string, id: string, redisUrl = url): RedisBindCoordinator {
    const c = new RedisBindCoordinator({ url: redisUrl, keyPrefix, id, logger: pino({ level: 'silent' }), leaseMs: LEASE_MS, renewMs: RENEW_MS });
    started.push(c);
    return c;
  }

  it('alone, holds every slot; a shared identity is granted whole without leases', async () => {
    const binds = new OpenBinds();
    const shared: SlotPool = { identity: 'open@smsc:1', slots: 3, shared: true };
    const seen = new Map<string, ReadonlySet<number>>();
    await coordinator(prefix(), 'a').start([POOL, shared], async (identity, slots) => {
      seen.set(identity, slots);
      await binds.listener('a')(identity, slots);
    });
    expect([...seen.get(POOL.identity)!].sort()).toEqual([0, 1, 2, 3]);
    expect([...seen.get(shared.identity)!].sort()).toEqual([0, 1, 2]);
  });

  it('spreads the slots over the dispatchers, a newcomer gets its share, and no slot is ever held twice', async () => {
    const keyPrefix = prefix();
    const binds = new OpenBinds();
    await coordinator(keyPrefix, 'a').start([POOL], binds.listener('a'));
    expect(binds.of('a')).toEqual([0, 1, 2, 3]);
    await coordinator(keyPrefix, 'b').start([POOL], binds.listener('b'));
    await until(() => binds.of('a').length === 2 && binds.of('b').length === 2, 3_000, 'two slots each');
    await coordinator(keyPrefix, 'c').start([POOL], binds.listener('c'));
    // ceil(4/3) = 2: the three end with 2, 1, 1 or 2, 2, 0 — every slot held, none twice.
    await until(() => ['a', 'b', 'c'].reduce((n, h) => n + binds.of(h).length, 0) === 4 && binds.of('c').length > 0, 3_000, 'c gets a slot');
    expect(binds.overlap).toBeUndefined();
  });

  it('takes over the slots of a dispatcher that died, once its leases have run out', async () => {
    const keyPrefix = prefix();
    // A dead dispatcher: leases and a heartbeat, never renewed.
    const redis = new Redis(url);
    cleanups.push(() => void redis.disconnect());
    for (const slot of [0, 1, 2, 3]) await redis.set(`${keyPrefix}binds:slot:${POOL.identity}:${slot}`, 'dead', 'PX', LEASE_MS);
    await redis.zadd(`${keyPrefix}binds:dispatchers`, Date.now(), 'dead');
    const diedAt = Date.now();
    const binds = new OpenBinds();
    await coordinator(keyPrefix, 'b').start([POOL], binds.listener('b'));
    expect(binds.of('b')).toEqual([]); // not before the leases ran out
    await until(() => binds.of('b').length === 4, LEASE_MS + 2 * RENEW_MS + 1_000, 'b takes all four');
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(LEASE_MS - 50);
  });

  it('closes its binds before its leases can run out when Redis stops answering', async () => {
    const proxy = await tcpProxy(new URL(url));
    cleanups.push(() => proxy.close());
    const binds = new OpenBinds();
    await coordinator(prefix(), 'a', `redis://127.0.0.1:${proxy.port}`).start([POOL], binds.listener('a'));
    expect(binds.of('a')).toHaveLength(4);
    const cutAt = Date.now();
    proxy.cut();
    const took = await until(() => binds.of('a').length === 0, LEASE_MS * 2, 'binds closed');
    // The leases were renewed at most RENEW_MS before the cut; they last LEASE_MS in Redis.
    expect(took).toBeLessThanOrEqual(LEASE_MS - RENEW_MS + 100);
    expect(Date.now() - cutAt).toBeGreaterThan(0);
  });
});

/** A TCP relay to Redis that can be cut: established connections die, new ones are refused. */
async function tcpProxy(target: URL): Promise<{ port: number; cut(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let open = true;
  const server: Server = createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
