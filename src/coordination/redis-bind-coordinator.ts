import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { allSlots, type BindCoordinator, type SlotListener, type SlotPool } from './bind-coordinator.js';
import { shareStep } from './fair-share.js';
import { HEARTBEAT, LEAVE, RELEASE, RENEW } from './lease-scripts.js';

export interface RedisBindCoordinatorOptions {
  readonly url: string;
  /** Prepended to every key (SMSGATE_REDIS_PREFIX; tests use a unique one). */
  readonly keyPrefix: string;
  /** Unique per process, also across hosts and restarts. */
  readonly id: string;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** How long a slot lease and a heartbeat last unrenewed (default 3000). */
  readonly leaseMs?: number;
  /** How often leases are renewed and shares recomputed (default 1000). */
  readonly renewMs?: number;
}

interface CoordinatorScripts {
  smsgateHeartbeat(key: string, id: string, ttlMs: number): Promise<number>;
  smsgateLeave(key: string, id: string): Promise<number>;
  smsgateRenew(key: string, id: string, ttlMs: number): Promise<number>;
  smsgateRelease(key: string, id: string): Promise<number>;
}

/**
 * Spreads bind slots over the dispatchers sharing one Redis. Every `renewMs` each dispatcher
 * marks itself alive, counts the live ones, renews the slot leases it holds (compare-and-renew),
 * gives back those above its fair share and takes free ones up to it (SET NX PX; fair-share.ts). A dispatcher
 * that dies stops renewing: after `leaseMs` its slots are free and its heartbeat gone, so the
 * others' shares grow and they take the slots over.
 *
 * Never two holders at once: a slot is given back only after its binds are closed, and a
 * dispatcher that cannot renew (Redis unreachable) closes its binds `renewMs` before its leases
 * can have run out in Redis. The cost is failing closed: without Redis no dispatcher sends, and
 * messages wait as `queuing`.
 */
export class RedisBindCoordinator implements BindCoordinator {
  private readonly redis: Redis;
  private readonly scripts: CoordinatorScripts;
  private readonly leaseMs: number;
  private readonly renewMs: number;
  private readonly held = new Map<string, Set<number>>();
  private pools: readonly SlotPool[] = [];
  private listener: SlotListener = async () => {};
  private timer: NodeJS.Timeout | undefined;
  private expiry: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;
  /** Where this dispatcher starts looking for free slots; spreads concurrent starters. */
  private readonly start0 = Math.floor(Math.random() * 1024);

  constructor(private readonly options: RedisBindCoordinatorOptions) {
    this.leaseMs = options.leaseMs ?? 3_000;
    this.renewMs = options.renewMs ?? 1_000;
    if (this.renewMs * 2 >= this.leaseMs) throw new Error('renewMs must be below half of leaseMs');
    this.redis = new Redis(options.url, {
      // Fail at once while disconnected: a renewal that waits in a queue is a lease running out.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: Math.floor(this.renewMs / 2),
      retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    });
    this.redis.on('error', () => {}); // each failed tick is logged below
    this.redis.defineCommand('smsgateHeartbeat', { numberOfKeys: 1, lua: HEARTBEAT });
    this.redis.defineCommand('smsgateLeave', { numberOfKeys: 1, lua: LEAVE });
    this.redis.defineCommand('smsgateRenew', { numberOfKeys: 1, lua: RENEW });
    this.redis.defineCommand('smsgateRelease', { numberOfKeys: 1, lua: RELEASE });
    this.scripts = this.redis as unknown as CoordinatorScripts;
  }

  /** Rejects at once while disconnected (no offline queue), or after the command timeout. */
  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async start(pools: readonly SlotPool[], listener: SlotListener): Promise<void> {
    this.pools = pools;
    this.listener = listener;
    for (const pool of pools) {
      // A shared identity needs no leases: every dispatcher may open all of it.
      if (pool.shared) await listener(pool.identity, allSlots(pool.slots));
      else this.held.set(pool.identity, new Set());
    }
    await this.waitReady(2_000);
    await this.tick();
    this.schedule();
  }

  /** The slots held now, per identity (for tests and logs). */
  holding(identity: string): ReadonlySet<number> {
    return this.held.get(identity) ?? new Set();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.expiry);
    await this.ticking;
    try {
      for (const [identity, slots] of this.held) {
        await Promise.all([...slots].map((slot) => this.scripts.smsgateRelease(this.slotKey(identity, slot), this.options.id)));
      }
      await this.scripts.smsgateLeave(this.dispatchersKey(), this.options.id);
    } catch {
      // Unreachable Redis: the leases run out by themselves.
    }
    this.held.clear();
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => this.schedule());
    }, this.renewMs);
  }

  private async tick(): Promise<void> {
    const startedAt = Date.now();
    try {
      const live = await this.scripts.smsgateHeartbeat(this.dispatchersKey(), this.options.id, this.leaseMs);
      // Renew everything first, so the watchdog below may be rearmed for all leases at once.
      const renewed = new Map<string, Set<number>>();
      for (const [identity, slots] of this.held) renewed.set(identity, await this.renew(identity, slots));
      this.armExpiry(startedAt);
      for (const pool of this.pools) {
        if (!pool.shared && !this.stopped) await this.rebalance(pool, renewed.get(pool.identity)!, live);
      }
    } catch (error) {
      this.options.logger.warn({ err: (error as Error).message }, 'bind coordination: Redis did not answer; binds close if it stays away');
    }
  }

  private async renew(identity: string, slots: ReadonlySet<number>): Promise<Set<number>> {
    const ids = [...slots];
    const answers = await Promise.all(ids.map((slot) => this.scripts.smsgateRenew(this.slotKey(identity, slot), this.options.id, this.leaseMs)));
    const kept = new Set(ids.filter((_, i) => answers[i] === 1));
    if (kept.size < slots.size) {
      this.options.logger.warn({ identity, lost: ids.filter((s) => !kept.has(s)) }, 'bind coordination: leases ran out; closing those binds');
    }
    return kept;
  }

  private async rebalance(pool: SlotPool, kept: Set<number>, live: number): Promise<void> {
    const before = this.held.get(pool.identity)!;
    const hungerKey = this.hungerKey(pool.identity);
    const someoneHungry = (await this.redis.get(hungerKey)) !== null;
    const step = shareStep(kept, pool.slots, live, this.start0, someoneHungry);
    const next = new Set(kept);
    for (const slot of step.release) next.delete(slot);
    // Close first, release after: until the DEL nobody else may open these binds.
    if (!sameSet(next, before)) await this.hand(pool.identity, next);
    for (const slot of step.release) await this.scripts.smsgateRelease(this.slotKey(pool.identity, slot), this.options.id);

    let want = step.want;
    for (const slot of step.tryTake) {
      if (want <= 0) break;
      const taken = await this.redis.set(this.slotKey(pool.identity, slot), this.options.id, 'PX', this.leaseMs, 'NX');
      if (taken === 'OK') {
        next.add(slot);
        want -= 1;
      }
    }
    if (!sameSet(next, this.held.get(pool.identity)!)) await this.hand(pool.identity, next);
    if (step.hungry && want > 0) await this.redis.set(hungerKey, this.options.id, 'PX', this.leaseMs);
    else if (step.hungry || someoneHungry) await this.scripts.smsgateRelease(hungerKey, this.options.id);
  }

  private async hand(identity: string, slots: Set<number>): Promise<void> {
    this.held.set(identity, slots);
    this.options.logger.info({ identity, slots: [...slots].sort((a, b) => a - b) }, 'bind coordination: slots changed');
    try {
      await this.listener(identity, new Set(slots));
    } catch (error) {
      this.options.logger.error({ err: error, identity }, 'bind coordination: applying the slots failed');
    }
  }

  /**
   * Leases renewed at `startedAt` last until at least `startedAt + leaseMs` in Redis. Closing
   * the binds `renewMs` before that leaves time for the unbind before anyone else may bind.
   */
  private armExpiry(startedAt: number): void {
    clearTimeout(this.expiry);
    const dropAt = startedAt + this.leaseMs - this.renewMs;
    this.expiry = setTimeout(() => {
      this.options.logger.error('bind coordination: leases could not be renewed; closing every bind until Redis answers');
      for (const identity of this.held.keys()) void this.hand(identity, new Set());
    }, Math.max(0, dropAt - Date.now()));
  }

  private waitReady(timeoutMs: number): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      this.redis.once('ready', done);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  private dispatchersKey(): string {
    return `${this.options.keyPrefix}binds:dispatchers`;
  }

  private hungerKey(identity: string): string {
    return `${this.options.keyPrefix}binds:hungry:${identity}`;
  }

  private slotKey(identity: string, slot: number): string {
    return `${this.options.keyPrefix}binds:slot:${identity}:${slot}`;
  }
}

function sameSet(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
