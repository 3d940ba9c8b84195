import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { CarrierConfig } from '../carrier/smpp/smpp-config.js';
import type { Config } from '../config/config.js';
import { GatewayError, type ErrorCode } from '../domain/errors.js';
import type { IdempotencyRecord, NewMessage } from '../store/message-store.js';
import type { BindState } from '../carrier/smpp/bind-state.js';
import type { MetricsJson } from '../metrics/metrics.js';

/** The dispatcher of this process, running in a thread of its own. */
export interface DispatchThread {
  /** Sends were committed: look at the queue now rather than at the next poll. */
  notify(): void;
  /** Commits a batch of sends through the thread's own store connection (see below). */
  insertMessages(batch: readonly NewMessage[]): Promise<readonly IdempotencyRecord[]>;
  /** The thread's metrics (its registry's JSON), for the main thread's /metrics; [] when metrics are off. */
  metricsJson(): Promise<MetricsJson>;
  /** The thread's binds, for /readyz. */
  bindStates(): Promise<BindState[]>;
  stop(): Promise<void>;
}

/** What the main thread asks the thread about (not on the send path: a scrape, a probe). */
export type ThreadQuestion = 'metrics' | 'binds';

/** The main thread's side of the protocol: an order, a batch of sends, or a question. */
export type ThreadOrder = 'notify' | 'stop' | { type: 'insert'; id: number; batch: NewMessage[] } | { type: 'ask'; id: number; question: ThreadQuestion };

/** What the thread is given: the configuration read once by the main thread, and the carriers it validated. */
export interface ThreadData {
  readonly config: Config;
  /** Undefined: the thread runs the built-in simulator and delivers to it. */
  readonly carriers: CarrierConfig | undefined;
}

/** What the thread says: started or not, and how each batch it was given went. */
export type ThreadReport =
  | { type: 'ready' }
  | { type: 'failed'; message: string; code?: ErrorCode }
  | { type: 'inserted'; id: number; heldKeys: readonly IdempotencyRecord[] }
  | { type: 'insertFailed'; id: number; message: string; code?: ErrorCode; retryAfterS?: number; cause?: string }
  | { type: 'answer'; id: number; value: unknown };

/**
 * Starts the dispatcher (with the carrier and, by default, the SMSC simulator) in a worker
 * thread over its own store connection, so SMPP and receipts take the second core instead of
 * the event loop that answers HTTP. It dies with the process, like an in-process dispatcher.
 *
 * Over SQLite the thread also commits the API's sends: one writer, so the two threads never
 * wait on each other's write lock (SQLite's busy wait sleeps whole milliseconds), and one
 * transaction per turn carries sends, claims and receipts together.
 */
export async function startDispatchThread(data: ThreadData, logger: Logger): Promise<DispatchThread> {
  const worker = new Worker(new URL('./dispatch-thread-entry.js', import.meta.url), { workerData: data });
  // The start-up listeners go once the thread answered: left attached, the 'error' one would
  // swallow the error of a thread that dies later, leaving the log without its cause.
  const startup = new AbortController();
  const [report] = (await Promise.race([
    once(worker, 'message', { signal: startup.signal }),
    once(worker, 'error', { signal: startup.signal }).then(([error]) => [{ type: 'failed', message: String(error) }]),
  ]).finally(() => startup.abort())) as [ThreadReport];
  if (report.type !== 'ready') {
    await worker.terminate();
    if (report.type !== 'failed') throw new Error(`unexpected report ${report.type}`);
    // A typed failure keeps its code across the thread boundary (INVALID_CONFIG exits 2).
    throw report.code ? new GatewayError(report.code, report.message) : new Error(report.message);
  }

  const batches = new Map<number, { resolve: (heldKeys: readonly IdempotencyRecord[]) => void; reject: (error: Error) => void }>();
  const questions = new Map<number, (value: unknown) => void>();
  let nextId = 0;
  const ask = <T>(question: ThreadQuestion): Promise<T> =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      questions.set(id, resolve as (value: unknown) => void);
      post({ type: 'ask', id, question });
    });
  const post = (order: ThreadOrder): void => worker.postMessage(order);
  worker.on('message', (message: ThreadReport) => {
    if (message.type === 'answer') {
      questions.get(message.id)?.(message.value);
      questions.delete(message.id);
      return;
    }
    if (message.type !== 'inserted' && message.type !== 'insertFailed') return;
    const batch = batches.get(message.id);
    batches.delete(message.id);
    if (message.type === 'inserted') batch?.resolve(message.heldKeys);
    // A typed failure (the store unavailable: 503) keeps its code across the thread boundary.
    else batch?.reject(message.code ? new GatewayError(message.code, message.message, { retryAfterS: message.retryAfterS, cause: message.cause === undefined ? undefined : new Error(message.cause) }) : new Error(message.message));
  });
  let stopping = false;
  // What killed the thread, in full: an error crossing the thread boundary may arrive as a plain
  // object (SQLite's keeps only its code), so its message and stack are spelled out.
  worker.on('error', (error: unknown) => {
    const { message, stack } = (error ?? {}) as { message?: unknown; stack?: unknown };
    logger.fatal({ err: error, message: String(message ?? error), stack }, 'the dispatch thread failed');
  });
  worker.on('exit', (code) => {
    // A question the thread will never answer gets "nothing": a scrape or a probe must not hang.
    for (const answer of questions.values()) answer(undefined);
    questions.clear();
    if (stopping) return;
    // Every answered send is in the store: a supervisor restarting the process loses nothing.
    logger.fatal({ code }, 'the dispatch thread stopped unexpectedly; exiting');
    process.exit(1);
  });
  return {
    notify: () => post('notify'),
    insertMessages: (batch) =>
      new Promise<readonly IdempotencyRecord[]>((resolve, reject) => {
        const id = nextId++;
        batches.set(id, { resolve, reject });
        post({ type: 'insert', id, batch: batch as NewMessage[] });
      }),
    metricsJson: async () => (await ask<MetricsJson | undefined>('metrics')) ?? [],
    bindStates: async () => (await ask<BindState[] | undefined>('binds')) ?? [],
    stop: async () => {
      stopping = true;
      const exited = once(worker, 'exit');
      post('stop');
      await exited;
    },
  };
}
