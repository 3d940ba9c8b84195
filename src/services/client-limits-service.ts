import { normaliseClientLimits, type ClientLimitSettings } from '../domain/client-limits.js';
import { GatewayError } from '../domain/errors.js';
import type { CatalogStore } from '../store/catalog-store.js';

/** The limits to change: a field left out keeps its value, null clears it. */
export type ClientLimitChanges = { -readonly [K in keyof ClientLimitSettings]?: ClientLimitSettings[K] };

/**
 * A client's limits and sender, for whoever changes them (the CLI, the admin API): validated
 * and normalised here (src/domain/client-limits.ts), so the send path reads only good values.
 * Failures are GatewayErrors: INVALID_REQUEST, CLIENT_NOT_FOUND.
 */
export class ClientLimitsService {
  constructor(private readonly store: Pick<CatalogStore, 'listClients' | 'setClientLimits'>) {}

  async limitsOf(clientId: string): Promise<ClientLimitSettings> {
    const client = (await this.store.listClients()).find((c) => c.clientId === clientId);
    if (!client) throw new GatewayError('CLIENT_NOT_FOUND', `no client ${clientId}`);
    return client.limits;
  }

  /** Applies `changes` over the client's current limits; answers them all, as stored. */
  async change(clientId: string, changes: ClientLimitChanges): Promise<ClientLimitSettings> {
    const limits = normaliseClientLimits({ ...(await this.limitsOf(clientId)), ...changes });
    await this.store.setClientLimits(clientId, limits);
    return limits;
  }
}
