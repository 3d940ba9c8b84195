import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { Carrier } from './carrier/carrier.js';
import { startSimulator, type RunningSimulator } from './carrier/simulator/simulator.js';
import { simulatorOptionsFromEnv } from './carrier/simulator/simulator-env.js';
import { createSmppCarrier } from './carrier/smpp/smpp-carrier.js';
import { loadCarrierConfig } from './carrier/smpp/smpp-config.js';
import type { BindCoordinator } from './coordination/bind-coordinator.js';
import { coordinateBinds } from './coordination/coordinate-binds.js';
import type { Config } from './config/config.js';
import { dispatches, servesHttp, type Role } from './config/roles.js';
import { startDispatchThread } from './dispatch/dispatch-thread.js';
import { startGateway, type RunningGateway } from './gateway.js';
import { openLimiter } from './limits/open-limiter.js';
import type { Store } from './store/store.js';

/**
 * Builds the gateway the configuration describes, over an opened store. A dispatching process
 * with no SMSGATE_CARRIERS also runs the built-in SMSC simulator on a free loopback port and
 * delivers to it over SMPP: the embedded default takes the real path.
 */
export async function composeGateway(
  config: Config,
  logger: Logger,
  store: Store,
  role: Role = 'all',
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningGateway> {
  // A thread opens the store anew: an in-memory SQLite database would be another, empty one.
  const storeSharable = config.databaseUrl !== undefined || config.dbPath !== ':memory:';
  if (role === 'all' && config.dispatchThread && storeSharable) return composeWithDispatchThread(config, logger, store, env);
  return composeInProcess(config, logger, store, role, env);
}

/** The API here, the dispatcher (with carrier and simulator) in a worker thread of its own. */
async function composeWithDispatchThread(config: Config, logger: Logger, store: Store, env: NodeJS.ProcessEnv): Promise<RunningGateway> {
  const thread = await startDispatchThread(env, logger);
  const limiter = await openLimiter(config, logger, store);
  // Over SQLite the thread commits the sends too (one writer); PostgreSQL takes many.
  const inserts = config.databaseUrl ? undefined : thread;
  const onCommitted = inserts ? () => {} : thread.notify;
  const gateway = await startGateway({ config, logger, store, limiter, serveHttp: true, inserts, onCommitted });
  return {
    ...gateway,
    notifyDispatcher: thread.notify,
    close: async () => {
      await gateway.close(); // the last sends are committed before the dispatcher stops
      await thread.stop();
    },
  };
}

/** Everything the role asks for, in this thread. */
async function composeInProcess(
  config: Config,
  logger: Logger,
  store: Store,
  role: Role,
  env: NodeJS.ProcessEnv,
): Promise<RunningGateway> {
  let simulator: RunningSimulator | undefined;
  let carrier: Carrier | undefined;
  let coordinator: BindCoordinator | undefined;
  if (dispatches(role)) {
    if (!env.SMSGATE_CARRIERS) {
      const options = simulatorOptionsFromEnv(env, { port: 0 });
      simulator = await startSimulator({
        ...options,
        dlrDelayMs: config.simulatorDlrMs,
        // Beside the database: the simulator dies with the gateway, yet owes its receipts.
        journalPath: options.journalPath ?? join(dirname(config.dbPath), 'simulator-receipts.db'),
        logger: logger.child({ component: 'simulator' }),
      });
    }
    const carrierConfig = loadCarrierConfig(env, simulator?.port);
    const smpp = createSmppCarrier(carrierConfig, logger.child({ component: 'smpp' }), { coordinated: true });
    // Many dispatchers must not open one SMSC account's binds many times over (docs/scaling.md).
    const settings = { redisUrl: config.redisUrl, redisPrefix: config.redisPrefix, privateSmsc: simulator !== undefined };
    coordinator = await coordinateBinds(smpp, carrierConfig, settings, logger.child({ component: 'binds' }));
    carrier = smpp;
  }
  const limiter = await openLimiter(config, logger, servesHttp(role) ? store : undefined);
  const gateway = await startGateway({ config, logger, store, limiter, carrier, serveHttp: servesHttp(role) });
  return {
    ...gateway,
    close: async () => {
      await gateway.close(); // closes the binds first: only then may others take their slots
      await coordinator?.stop();
      await simulator?.close();
    },
  };
}
