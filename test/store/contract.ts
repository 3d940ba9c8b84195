import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { catalogContract } from './contract/catalog.js';
import { lookupsContract } from './contract/lookups.js';
import { messagesContract } from './contract/messages.js';
import { receiptLookupsContract } from './contract/receipt-lookups.js';
import { receiptsContract } from './contract/receipts.js';
import { transitionsContract } from './contract/transitions.js';
import type { StoreHandle } from './contract/support.js';

/**
 * The Store semantics every adapter must keep. `open` gives a fresh, empty store for each
 * test; the suite closes it.
 */
export function describeStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    const handle: StoreHandle = {
      get store(): Store {
        if (!current) throw new Error('no store open');
        return current;
      },
    };
    let current: Store | undefined;

    beforeEach(async () => {
      current = await open();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });

    catalogContract(handle);
    messagesContract(handle);
    receiptsContract(handle);
    receiptLookupsContract(handle);
    transitionsContract(handle);
    lookupsContract(handle);
  });
}
