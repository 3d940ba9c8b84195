import { parentPort, workerData } from 'node:worker_threads';
import { composeGateway } from '../compose.js';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../config/logger.js';
import { openStore } from '../store/open-store.js';

/** The entry of the dispatch thread (dispatch-thread.ts): a dispatcher-only gateway. */
const port = parentPort!;
const env = (workerData as { env: NodeJS.ProcessEnv }).env;
try {
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel).child({ thread: 'dispatch' });
  const store = await openStore(config);
  const gateway = await composeGateway(config, logger, store, 'dispatcher', env);
  port.on('message', (message: unknown) => {
    if (message === 'notify') gateway.notifyDispatcher();
    if (message === 'stop') {
      gateway.close().then(
        () => process.exit(0), // in a worker: ends this thread only
        (error: unknown) => {
          logger.error({ err: error }, 'dispatch thread: shutdown failed');
          process.exit(1);
        },
      );
    }
  });
  port.postMessage({ type: 'ready' });
} catch (error) {
  port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
