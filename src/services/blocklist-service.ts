import { validateBlockedPrefix, type BlockedEntry } from '../domain/blocklist.js';
import { validateClientId } from '../domain/client-id.js';
import { GatewayError } from '../domain/errors.js';
import { normalisePhoneNumber } from '../domain/phone-number.js';
import type { BlocklistStore } from '../store/blocklist-store.js';

/**
 * The blocklist, for whoever changes it (the CLI, the admin API). An entry is a phone number in
 * any spelling the API accepts (stored as E.164, so it blocks every spelling) or a prefix: `+`
 * and digits (`+88213`). Failures are GatewayErrors: INVALID_REQUEST.
 */
export class BlocklistService {
  constructor(
    private readonly store: BlocklistStore,
    private readonly defaultRegion: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** `added` false: it was there already. */
  async add(entry: string, clientId: string | null): Promise<BlockedEntry & { added: boolean }> {
    const blocked = this.entryOf(entry, clientId);
    return { ...blocked, added: await this.store.addBlocked(blocked, this.now()) };
  }

  async remove(entry: string, clientId: string | null): Promise<BlockedEntry> {
    const blocked = this.entryOf(entry, clientId);
    if (!(await this.store.removeBlocked(blocked))) {
      const scope = clientId === null ? 'the global blocklist' : `client ${clientId}'s blocklist`;
      throw new GatewayError('INVALID_REQUEST', `${blocked.entry} is not on ${scope}`);
    }
    return blocked;
  }

  /** Every entry; with `clientId`, that client's only. */
  async list(clientId?: string): Promise<BlockedEntry[]> {
    const entries = await this.store.listBlocked();
    return clientId === undefined ? entries : entries.filter((e) => e.clientId === clientId);
  }

  private entryOf(entry: string, clientId: string | null): BlockedEntry {
    if (clientId !== null) validateClientId(clientId);
    try {
      return { entry: normalisePhoneNumber(entry, this.defaultRegion), clientId };
    } catch {
      return { entry: validateBlockedPrefix(entry.replace(/[\s-]/g, '')), clientId };
    }
  }
}
