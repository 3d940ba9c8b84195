import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Role } from '../config/roles.js';
import { mergedExposition } from '../metrics/merge.js';
import { fleetReadiness } from '../services/readiness.js';
import { openStore } from '../store/open-store.js';
import type { AdminPart } from './admin-part.js';
import { startAdminOf, type RunningGateway } from './compose-gateway.js';
import type { WorkerFleet } from './worker-fleet.js';

/**
 * The admin listener of a gateway with SMSGATE_HTTP_WORKERS, in the primary: one port for the
 * whole gateway. /metrics adds up the registries of the primary (its dispatcher; the queue) and
 * of every API worker; /readyz asks them all; an admin API change reaches every worker's catalog
 * at once. It has a store connection of its own (the admin API's, and the admin token's hash).
 */
export async function startFleetAdmin(options: {
  readonly config: Config;
  readonly logger: Logger;
  readonly role: Role;
  /** The primary's dispatcher; undefined with `--role api`. */
  readonly gateway: RunningGateway | undefined;
  readonly fleet: WorkerFleet;
}): Promise<AdminPart> {
  const { config, logger, role, gateway, fleet } = options;
  const store = await openStore(config);
  const own = gateway?.metricsJson;
  const metricsJson = config.metrics ? async () => [...((await own?.()) ?? []), ...(await fleet.metricsJson())] : undefined;
  const metrics = metricsJson && (async () => mergedExposition(await metricsJson()));
  const readiness = async () => fleetReadiness(await gateway?.readiness(), await fleet.readiness());
  const bindStates = async () => (await gateway?.bindStates()) ?? [];
  try {
    const refreshCatalog = () => fleet.refreshCatalog();
    const admin = await startAdminOf({ config, logger, role, store, refreshCatalog, statusEvents: undefined, readiness, metrics, metricsJson, bindStates, publicPort: config.port });
    return {
      port: admin.port,
      close: async () => {
        await admin.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
