import { describe, expect, it } from 'vitest';
import { NO_CLIENT_LIMITS } from '../../../src/domain/client-limits.js';
import { expectGatewayError, type StoreHandle } from './support.js';

const LIMITS = { rate: '200/s', dailyQuota: 100_000, countries: 'CN,HK,SG', countryCap: '500/1h', sender: 'COOKPAD' };

export function limitsContract(handle: StoreHandle): void {
  describe('client limits', () => {
    it('stores every limit of one client, replaces them, and bumps the catalog version', async () => {
      const { store } = handle;
      await store.addClient('client-a', 'hash-a', 1_000);
      await store.addClient('client-b', 'hash-b', 1_000);
      const before = await store.catalogVersion();
      await store.setClientLimits('client-a', LIMITS);
      expect(await store.catalogVersion()).toBeGreaterThan(before);
      const byId = new Map((await store.listClients()).map((c) => [c.clientId, c]));
      expect(byId.get('client-a')?.limits).toEqual(LIMITS);
      expect(byId.get('client-b')?.limits).toEqual(NO_CLIENT_LIMITS);
      await store.setClientLimits('client-a', { ...NO_CLIENT_LIMITS, dailyQuota: 5 });
      expect((await store.listClients()).find((c) => c.clientId === 'client-a')?.limits).toEqual({ ...NO_CLIENT_LIMITS, dailyQuota: 5 });
    });

    it('refuses limits for a client that does not exist', async () => {
      await expectGatewayError(handle.store.setClientLimits('nobody', LIMITS), 'CLIENT_NOT_FOUND');
    });
  });

  describe('blocklist', () => {
    it('adds global and per-client entries once each, lists and removes them, bumping its version on each change', async () => {
      const { store } = handle;
      const v0 = await store.blocklistVersion();
      expect(await store.addBlocked({ entry: '+88213', clientId: null }, 1_000)).toBe(true);
      expect(await store.addBlocked({ entry: '+8613800138000', clientId: 'client-a' }, 1_000)).toBe(true);
      // The same number globally is another entry.
      expect(await store.addBlocked({ entry: '+8613800138000', clientId: null }, 1_000)).toBe(true);
      const v1 = await store.blocklistVersion();
      expect(v1).toBeGreaterThan(v0);
      expect(await store.addBlocked({ entry: '+88213', clientId: null }, 2_000)).toBe(false);
      expect(await store.blocklistVersion()).toBe(v1);
      const listed = (await store.listBlocked()).map((e) => `${e.clientId ?? '*'} ${e.entry}`).sort();
      expect(listed).toEqual(['* +8613800138000', '* +88213', 'client-a +8613800138000']);

      expect(await store.removeBlocked({ entry: '+8613800138000', clientId: 'client-a' })).toBe(true);
      expect(await store.removeBlocked({ entry: '+8613800138000', clientId: 'client-a' })).toBe(false);
      expect(await store.blocklistVersion()).toBeGreaterThan(v1);
      expect((await store.listBlocked()).map((e) => `${e.clientId ?? '*'} ${e.entry}`).sort()).toEqual(['* +8613800138000', '* +88213']);
    });

    it('does not bump the catalog version: templates and clients are not reloaded for it', async () => {
      const { store } = handle;
      const catalog = await store.catalogVersion();
      await store.addBlocked({ entry: '+88213', clientId: null }, 1_000);
      expect(await store.catalogVersion()).toBe(catalog);
    });
  });
}
