import { parentPort, workerData } from 'node:worker_threads';
import { composeGateway } from '../compose.js';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../config/logger.js';
import type { NewMessage } from '../store/message-store.js';
import { openStore } from '../store/open-store.js';
import type { ThreadReport } from './dispatch-thread.js';

type Order = 'notify' | 'stop' | { type: 'insert'; id: number; batch: NewMessage[] };

/** The entry of the dispatch thread (dispatch-thread.ts): a dispatcher-only gateway. */
const port = parentPort!;
const env = (workerData as { env: NodeJS.ProcessEnv }).env;
const report = (message: ThreadReport): void => port.postMessage(message);
try {
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel).child({ thread: 'dispatch' });
  const store = await openStore(config);
  const gateway = await composeGateway(config, logger, store, 'dispatcher', env);
  port.on('message', (order: Order) => {
    if (order === 'notify') gateway.notifyDispatcher();
    else if (order === 'stop') {
      gateway.close().then(
        () => process.exit(0), // in a worker: ends this thread only
        (error: unknown) => {
          logger.error({ err: error }, 'dispatch thread: shutdown failed');
          process.exit(1);
        },
      );
    } else {
      store.insertMessages(order.batch).then(
        () => {
          report({ type: 'inserted', id: order.id });
          gateway.notifyDispatcher();
        },
        (error: unknown) => report({ type: 'insertFailed', id: order.id, message: error instanceof Error ? error.message : String(error) }),
      );
    }
  });
  report({ type: 'ready' });
} catch (error) {
  report({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
