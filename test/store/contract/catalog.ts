import { describe, expect, it } from 'vitest';
import { expectGatewayError, type StoreHandle } from './support.js';

export function catalogContract(handle: StoreHandle): void {
  describe('catalog', () => {
    it('starts empty', async () => {
      expect(await handle.store.listClients()).toEqual([]);
      expect(await handle.store.listTemplates()).toEqual([]);
    });

    it('adds clients, enabled, and refuses a second one with the same id', async () => {
      const { store } = handle;
      await store.addClient('client-a', 'hash-a', 1_000);
      await store.addClient('client-b', 'hash-b', 2_000);
      await expectGatewayError(store.addClient('client-a', 'other', 3_000), 'CLIENT_EXISTS');
      const clients = (await store.listClients()).sort((x, y) => x.clientId.localeCompare(y.clientId));
      expect(clients).toEqual([
        { clientId: 'client-a', passcodeHash: 'hash-a', enabled: true, createdAt: 1_000, callback: null },
        { clientId: 'client-b', passcodeHash: 'hash-b', enabled: true, createdAt: 2_000, callback: null },
      ]);
    });

    it('changes a passcode hash and the enabled flag of that client only', async () => {
      const { store } = handle;
      await store.addClient('client-a', 'hash-a', 1_000);
      await store.addClient('client-b', 'hash-b', 1_000);
      await store.setClientPasscodeHash('client-a', 'hash-a2');
      await store.setClientEnabled('client-a', false);
      const byId = new Map((await store.listClients()).map((c) => [c.clientId, c]));
      expect(byId.get('client-a')).toMatchObject({ passcodeHash: 'hash-a2', enabled: false });
      expect(byId.get('client-b')).toMatchObject({ passcodeHash: 'hash-b', enabled: true });
      await store.setClientEnabled('client-a', true);
      expect((await store.listClients()).find((c) => c.clientId === 'client-a')?.enabled).toBe(true);
    });

    it('refuses changes to a client that does not exist', async () => {
      const { store } = handle;
      await expectGatewayError(store.setClientPasscodeHash('nobody', 'hash'), 'CLIENT_NOT_FOUND');
      await expectGatewayError(store.setClientEnabled('nobody', false), 'CLIENT_NOT_FOUND');
      expect(await store.listClients()).toEqual([]);
    });

    it('adds, lists and removes templates, shared or of one client', async () => {
      const { store } = handle;
      await store.addTemplate({ templetId: 'login', body: 'Code ${code}', clientId: null });
      await store.addTemplate({ templetId: 'reset', body: 'Reset ${p1}', clientId: 'client-a' });
      await expectGatewayError(store.addTemplate({ templetId: 'login', body: 'other', clientId: null }), 'TEMPLATE_EXISTS');
      const templates = (await store.listTemplates()).sort((x, y) => x.templetId.localeCompare(y.templetId));
      expect(templates).toEqual([
        { templetId: 'login', body: 'Code ${code}', clientId: null },
        { templetId: 'reset', body: 'Reset ${p1}', clientId: 'client-a' },
      ]);
      expect(await store.removeTemplate('login')).toBe(true);
      expect(await store.removeTemplate('login')).toBe(false);
      expect((await store.listTemplates()).map((t) => t.templetId)).toEqual(['reset']);
    });

    it('grows the catalog version on every change, and not on reads', async () => {
      const { store } = handle;
      const versions = [await store.catalogVersion()];
      const changes = [
        () => store.addClient('client-a', 'hash', 1_000),
        () => store.setClientPasscodeHash('client-a', 'hash2'),
        () => store.setClientEnabled('client-a', false),
        () => store.addTemplate({ templetId: 'login', body: 'Code ${code}', clientId: null }),
        () => store.removeTemplate('login'),
      ];
      for (const change of changes) {
        await change();
        versions.push(await store.catalogVersion());
      }
      for (let i = 1; i < versions.length; i++) expect(versions[i]!, `after change ${i}`).toBeGreaterThan(versions[i - 1]!);
      await store.listClients();
      await store.listTemplates();
      expect(await store.catalogVersion()).toBe(versions.at(-1));
    });
  });
}
