import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { CarrierObserver } from '../carrier/carrier-observer.js';
import { startSimulator, type RunningSimulator } from '../carrier/simulator/simulator.js';
import { simulatorOptionsFromConfig } from '../carrier/simulator/simulator-env.js';
import { createSmppCarrier, type SmppCarrier } from '../carrier/smpp/smpp-carrier.js';
import type { CarrierConfig } from '../carrier/smpp/smpp-config.js';
import { coordinateBinds } from '../coordination/coordinate-binds.js';
import type { Config } from '../config/config.js';

/**
 * The built-in SMSC simulator of a dispatching process without SMSGATE_CARRIERS, on a free
 * loopback port: the embedded default delivers over real SMPP.
 */
export async function startEmbeddedSimulator(config: Config, logger: Logger): Promise<RunningSimulator> {
  const options = simulatorOptionsFromConfig(config, 0);
  return startSimulator({
    ...options,
    // Beside the database: the simulator dies with the gateway, yet owes its receipts.
    journalPath: options.journalPath ?? join(dirname(config.dbPath), 'simulator-receipts.db'),
    logger: logger.child({ component: 'simulator' }),
  });
}

export interface CarrierPart {
  /** Started and stopped by the dispatcher, which hands it the receipt listener. */
  readonly carrier: SmppCarrier;
  /** Gives up this process's bind slots (after the dispatcher closed the binds). */
  close(): Promise<void>;
  /** Redis, where the bind slots are coordinated there: that it answers (for /readyz). */
  readonly pingRedis?: () => Promise<void>;
}

/**
 * The SMPP carrier over `carriers` (the carriers file, or the embedded simulator's one
 * connection). Many dispatchers must not open one SMSC account's binds many times over
 * (docs/scaling.md): the bind slots are coordinated, unless the SMSC is this process's own.
 */
export async function startCarrier(
  config: Config,
  logger: Logger,
  carriers: CarrierConfig,
  privateSmsc: boolean,
  observer?: CarrierObserver,
): Promise<CarrierPart> {
  const smpp = createSmppCarrier(carriers, logger.child({ component: 'smpp' }), { coordinated: true, observer });
  const settings = { redisUrl: config.redisUrl, redisPrefix: config.redisPrefix, privateSmsc };
  const coordinator = await coordinateBinds(smpp, carriers, settings, logger.child({ component: 'binds' }));
  return { carrier: smpp, close: () => coordinator.stop(), pingRedis: coordinator.ping && (() => coordinator.ping!()) };
}
