import { afterEach, describe, expect, it } from 'vitest';
import { ClientSenders } from '../../src/dispatch/client-senders.js';
import { ClientLimitsService } from '../../src/services/client-limits-service.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

let store: SqliteStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

describe('ClientSenders: what the dispatcher puts in source_addr', () => {
  it("answers each client's sender as set, follows changes, and none for a client without one", async () => {
    store = SqliteStore.open(':memory:');
    await store.addClient('shop', 'hash', 1);
    await store.addClient('plain', 'hash', 1);
    const senders = new ClientSenders(store);
    await senders.refresh();
    expect(senders.senderOf('shop')).toBeUndefined();
    await new ClientLimitsService(store).change('shop', { sender: 'COOKPAD' });
    await senders.refresh();
    expect(senders.senderOf('shop')).toEqual({ addr: 'COOKPAD', ton: 5, npi: 0 });
    expect(senders.senderOf('plain')).toBeUndefined();
    await new ClientLimitsService(store).change('shop', { sender: null });
    await senders.refresh();
    expect(senders.senderOf('shop')).toBeUndefined();
  });
});
