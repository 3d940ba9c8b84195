import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';

/** The dispatcher of this process, running in a thread of its own. */
export interface DispatchThread {
  /** Sends were committed: look at the queue now rather than at the next poll. */
  notify(): void;
  stop(): Promise<void>;
}

type WorkerReport = { type: 'ready' } | { type: 'failed'; message: string };

/**
 * Starts the dispatcher (with the carrier and, by default, the SMSC simulator) in a worker
 * thread over its own store connection, so SMPP and receipts take the second core instead of
 * the event loop that answers HTTP. It dies with the process, like an in-process dispatcher.
 */
export async function startDispatchThread(env: NodeJS.ProcessEnv, logger: Logger): Promise<DispatchThread> {
  const worker = new Worker(new URL('./dispatch-worker.js', import.meta.url), { workerData: { env } });
  const [report] = (await Promise.race([once(worker, 'message'), once(worker, 'error').then(([error]) => [{ type: 'failed', message: String(error) }])])) as [WorkerReport];
  if (report.type !== 'ready') {
    await worker.terminate();
    throw new Error(report.message);
  }
  let stopping = false;
  worker.on('exit', (code) => {
    if (stopping) return;
    // Every message is in the store: a supervisor restarting the process loses nothing.
    logger.fatal({ code }, 'the dispatch thread stopped unexpectedly; exiting');
    process.exit(1);
  });
  return {
    notify: () => worker.postMessage('notify'),
    stop: async () => {
      stopping = true;
      const exited = once(worker, 'exit');
      worker.postMessage('stop');
      await exited;
    },
  };
}
