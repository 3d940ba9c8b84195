import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../config/logger.js';
import { isGatewayError } from '../domain/errors.js';
import { openStore } from '../store/open-store.js';
import { isStoreUnavailable, storeUnavailableError } from '../store/unavailable.js';
import { composeGateway } from './compose-gateway.js';
import { Metrics } from '../metrics/metrics.js';
import type { ThreadData, ThreadOrder, ThreadQuestion, ThreadReport } from './dispatch-thread.js';

/**
 * The entry of the dispatch thread (dispatch-thread.ts): a dispatcher-only gateway over a store
 * connection of its own, which also commits the batches of sends the main thread hands it.
 */
const port = parentPort!;
const { config, carriers } = workerData as ThreadData;
const report = (message: ThreadReport): void => port.postMessage(message);

/** A batch not committed: what the main thread needs to answer its senders (503 for an outage). */
function insertFailed(id: number, error: unknown): ThreadReport {
  const typed = isGatewayError(error) ? error : isStoreUnavailable(error) ? storeUnavailableError(error) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return typed ? { type: 'insertFailed', id, message: typed.message, code: typed.code, retryAfterS: typed.retryAfterS, cause: message } : { type: 'insertFailed', id, message };
}
try {
  const logger = createLogger(config.logLevel).child({ thread: 'dispatch' });
  // The process's own metrics (memory, CPU) are the main thread's to report, and so is the queue.
  const metrics = config.metrics ? new Metrics({ processMetrics: false }) : undefined;
  const store = await openStore(config, metrics?.onCommit);
  const gateway = await composeGateway(config, logger, { role: 'dispatcher', store, carriers, metrics, admin: false }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const close = async (): Promise<void> => {
    await gateway.close();
    await store.close();
  };
  const answer = async (question: ThreadQuestion): Promise<unknown> => (question === 'metrics' ? ((await metrics?.json()) ?? []) : gateway.bindStates());
  port.on('message', (order: ThreadOrder) => {
    if (order === 'notify') gateway.notifyDispatcher();
    else if (order !== 'stop' && order.type === 'ask') {
      answer(order.question).then(
        (value) => report({ type: 'answer', id: order.id, value }),
        () => report({ type: 'answer', id: order.id, value: undefined }),
      );
    }
    else if (order === 'stop') {
      close().then(
        () => process.exit(0), // in a worker: ends this thread only
        (error: unknown) => {
          logger.error({ err: error }, 'dispatch thread: shutdown failed');
          process.exit(1);
        },
      );
    } else {
      store.insertMessages(order.batch).then(
        (heldKeys) => {
          report({ type: 'inserted', id: order.id, heldKeys });
          gateway.notifyDispatcher();
        },
        (error: unknown) => report(insertFailed(order.id, error)),
      );
    }
  });
  report({ type: 'ready' });
} catch (error) {
  report({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
    code: isGatewayError(error) ? error.code : undefined,
  });
}
