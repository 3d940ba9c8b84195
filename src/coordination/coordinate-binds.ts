import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { SmppCarrier } from '../carrier/smpp/smpp-carrier.js';
import type { CarrierConfig } from '../carrier/smpp/smpp-config.js';
import type { BindCoordinator } from './bind-coordinator.js';
import { RedisBindCoordinator } from './redis-bind-coordinator.js';
import { planSlots } from './slot-plan.js';
import { SoloCoordinator } from './solo-coordinator.js';

export interface CoordinationSettings {
  /** Dispatchers find each other here; unset: this is the only one. */
  readonly redisUrl: string | undefined;
  readonly redisPrefix: string;
  /**
   * The SMSC is this process's own built-in simulator: nobody else binds to it, so there is
   * nothing to share out.
   */
  readonly privateSmsc: boolean;
}

/**
 * Lets a BindCoordinator decide which binds of `carrier` are open. Resolves once the first
 * decision is applied (with Redis: once this dispatcher has its share, or none if Redis does
 * not answer yet). Stop it after the carrier has stopped.
 */
export async function coordinateBinds(
  carrier: SmppCarrier,
  carrierConfig: CarrierConfig,
  settings: CoordinationSettings,
  logger: Logger,
): Promise<BindCoordinator> {
  const plan = planSlots(carrierConfig.connections);
  const coordinator: BindCoordinator =
    settings.redisUrl && !settings.privateSmsc
      ? new RedisBindCoordinator({
          url: settings.redisUrl,
          keyPrefix: settings.redisPrefix,
          id: `${hostname()}:${process.pid}:${randomUUID()}`,
          logger,
        })
      : new SoloCoordinator();
  await coordinator.start(plan.pools, async (identity, slots) => {
    await Promise.all(plan.split(identity, slots).map((c) => carrier.setActiveSlots(c.connection, c.slots)));
  });
  return coordinator;
}
