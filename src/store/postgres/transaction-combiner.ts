import type pg from 'pg';
import { inTransaction } from './pool.js';
import { beginLockingSql } from './receipts.js';
import type { CommitObserver } from '../commit-observer.js';

type Op = (client: pg.PoolClient) => Promise<unknown>;

/**
 * Writes of one kind that a batch can run as one set-based step instead of one by one. `runAll`
 * answers one result per write, in order (or nothing, for writes without a result).
 */
export interface WriteGroup<A, R = void> {
  readonly name: string;
  readonly runAll: (client: pg.PoolClient, all: readonly A[]) => Promise<readonly R[] | void>;
}

interface Pending {
  readonly carrierIds: readonly string[];
  /** The write on its own; also how it runs when its batch fails. */
  readonly op: Op;
  readonly grouped?: { readonly group: WriteGroup<unknown, unknown>; readonly args: unknown };
  // A method, so that the resolver of any Promise<T> fits (method parameters are bivariant).
  resolve(value: unknown): void;
  readonly reject: (error: unknown) => void;
}

/** Enough to share a commit widely, few enough that one batch does not hold its locks long. */
const MAX_BATCH = 500;
/**
 * Batches being written at once. While they run, the next writes gather into one batch instead
 * of each turn of the event loop starting a transaction of its own: under load the statements
 * per message fall with the batch size (measured: bench/phases/postgres.ts), and when idle a
 * write still starts on the next turn. Two, so that one batch is built while the other commits.
 */
const BATCHES_IN_FLIGHT = 2;

/**
 * The dispatcher's writes (submits recorded, receipts applied) of one turn of the event loop, or
 * of all the turns while the previous batches were being written, run in one transaction: one
 * commit, and one WAL flush, for all of them instead of one each. The
 * carrier ids of the whole batch are locked first, in the one global order every transaction
 * uses (receipts.ts), so batches cannot deadlock on them. If the batch fails as a whole (say
 * PostgreSQL picked it as a deadlock victim on message rows), each write runs again alone, as
 * it would have without this class; a write's own error reaches only its caller then.
 */
export class TransactionCombiner {
  private pending: Pending[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private batchesRunning = 0;
  private flushScheduled = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly onCommit?: CommitObserver,
  ) {}

  run<T>(carrierIds: readonly string[], op: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.enqueue(carrierIds, op, undefined) as Promise<T>;
  }

  /** A write that, batched with others of its group, runs as part of the group's one step. */
  runGrouped<A, R>(carrierIds: readonly string[], group: WriteGroup<A, R>, args: A, alone: (client: pg.PoolClient) => Promise<R>): Promise<R> {
    return this.enqueue(carrierIds, alone, { group: group as WriteGroup<unknown, unknown>, args }) as Promise<R>;
  }

  private enqueue(carrierIds: readonly string[], op: Op, grouped: Pending['grouped']): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.pending.push({ carrierIds, op, grouped, resolve, reject });
      this.schedule();
    });
  }

  /** A flush on the next turn, unless one is due already or every batch slot is busy (its end flushes). */
  private schedule(): void {
    if (this.flushScheduled || this.batchesRunning >= BATCHES_IN_FLIGHT || this.pending.length === 0) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.batchesRunning < BATCHES_IN_FLIGHT && this.pending.length > 0) this.startBatch(this.pending.splice(0, MAX_BATCH));
  }

  private startBatch(batch: Pending[]): void {
    this.batchesRunning += 1;
    // Metrics off: no clock read.
    const started = this.onCommit ? performance.now() : 0;
    const done = (): void => {
      this.batchesRunning -= 1;
      this.schedule();
    };
    // A batch of one takes this path too: its BEGIN and locks share a round trip.
    this.track(
      inTransaction(this.pool, async (client) => {
        const groups = new Map<WriteGroup<unknown, unknown>, Pending[]>();
        for (const item of batch) {
          if (!item.grouped) continue;
          const members = groups.get(item.grouped.group) ?? [];
          members.push(item);
          groups.set(item.grouped.group, members);
        }
        const results = new Map<Pending, unknown>();
        for (const [group, members] of groups) {
          const answers = await group.runAll(client, members.map((member) => member.grouped!.args));
          members.forEach((member, i) => results.set(member, answers ? answers[i] : undefined));
        }
        for (const item of batch) if (!item.grouped) results.set(item, await item.op(client));
        return batch.map((item) => results.get(item));
      }, beginLockingSql(batch.flatMap((item) => item.carrierIds)))
        .then(
          (results) => {
            this.onCommit?.('combined', batch.length, (performance.now() - started) / 1000);
            batch.forEach((item, i) => item.resolve(results[i]));
          },
          async (error: unknown) => {
            // An op on its own has just run alone; a grouped one runs again by its own path.
            // One after another: hundreds at once would queue on the pool past its connect
            // timeout and fail writes that would have succeeded (seen when PostgreSQL was slow).
            if (batch.length === 1 && !batch[0]!.grouped) batch[0]!.reject(error);
            else for (const item of batch) await this.runAlone(item);
          },
        )
        .finally(done),
    );
  }

  /** Resolves when every write handed in so far has been told its outcome. */
  async settled(): Promise<void> {
    this.flush();
    while (this.running.size > 0 || this.pending.length > 0) {
      await Promise.allSettled([...this.running]);
      this.flush();
    }
  }

  /** Settles `item`; never rejects. */
  private runAlone(item: Pending): Promise<void> {
    return inTransaction(this.pool, (client) => item.op(client)).then((value) => item.resolve(value), item.reject);
  }

  private track(work: Promise<unknown>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }
}
