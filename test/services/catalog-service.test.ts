import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { passcodeMatches } from '../../src/domain/passcode.js';
import { CatalogService } from '../../src/services/catalog-service.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { PASSCODE_SHAPE } from '../support/cli.js';

const NOW = Date.parse('2026-03-04T05:06:07.000Z');
let dir: string;
let store: SqliteStore;
let catalog: CatalogService;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smsgate-catalog-'));
  store = SqliteStore.open(join(dir, 'smsgate.db'));
  catalog = new CatalogService(store, () => NOW);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const hashOf = async (clientId: string) => (await store.listClients()).find((c) => c.clientId === clientId)!.passcodeHash;

describe('clients', () => {
  it('add returns the passcode once; the store keeps only a hash that matches it', async () => {
    const added = await catalog.addClient('alpha');
    expect(added).toEqual({ clientId: 'alpha', passcode: expect.stringMatching(PASSCODE_SHAPE) });
    const hash = await hashOf('alpha');
    expect(hash).not.toContain(added.passcode);
    expect(passcodeMatches('alpha', added.passcode, hash)).toBe(true);
  });

  it('list gives id, state and creation time, never the hash', async () => {
    await catalog.addClient('alpha');
    expect(await catalog.listClients()).toEqual([{ clientId: 'alpha', enabled: true, createdAt: NOW, callbackUrl: null, events: null }]);
  });

  it('rejects an invalid client id before touching the store, and a duplicate', async () => {
    await expect(catalog.addClient('has space')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(await store.listClients()).toEqual([]);
    await catalog.addClient('alpha');
    await expect(catalog.addClient('alpha')).rejects.toMatchObject({ code: 'CLIENT_EXISTS' });
  });

  it('rotate gives a new passcode; only the new one matches', async () => {
    const first = await catalog.addClient('alpha');
    const rotated = await catalog.rotatePasscode('alpha');
    expect(rotated.passcode).toMatch(PASSCODE_SHAPE);
    expect(rotated.passcode).not.toBe(first.passcode);
    const hash = await hashOf('alpha');
    expect(passcodeMatches('alpha', rotated.passcode, hash)).toBe(true);
    expect(passcodeMatches('alpha', first.passcode, hash)).toBe(false);
    await expect(catalog.rotatePasscode('ghost')).rejects.toMatchObject({ code: 'CLIENT_NOT_FOUND' });
  });

  it('disable and enable change the state; an unknown client is CLIENT_NOT_FOUND', async () => {
    await catalog.addClient('alpha');
    expect(await catalog.setClientEnabled('alpha', false)).toEqual({ clientId: 'alpha', enabled: false });
    expect((await catalog.listClients())[0]!.enabled).toBe(false);
    await catalog.setClientEnabled('alpha', true);
    expect((await catalog.listClients())[0]!.enabled).toBe(true);
    await expect(catalog.setClientEnabled('ghost', false)).rejects.toMatchObject({ code: 'CLIENT_NOT_FOUND' });
  });
});

describe('templates', () => {
  it('add stores it for any client (null) or for one that exists', async () => {
    await catalog.addClient('owner');
    expect(await catalog.addTemplate({ templetId: 't1', body: 'Code ${code}', clientId: null })).toEqual({ templetId: 't1', body: 'Code ${code}', clientId: null });
    await catalog.addTemplate({ templetId: 'mine', body: 'Hi ${name}', clientId: 'owner' });
    expect(await catalog.listTemplates()).toEqual(
      expect.arrayContaining([
        { templetId: 't1', body: 'Code ${code}', clientId: null },
        { templetId: 'mine', body: 'Hi ${name}', clientId: 'owner' },
      ]),
    );
  });

  it.each([
    ['an invalid templet_id', { templetId: 'bad id', body: 'x', clientId: null }, 'INVALID_REQUEST'],
    ['an empty body', { templetId: 'x', body: '  ', clientId: null }, 'INVALID_REQUEST'],
    ['a stray ${', { templetId: 'x', body: 'code ${ code }', clientId: null }, 'INVALID_REQUEST'],
    ['an unknown client', { templetId: 'x', body: 'x', clientId: 'ghost' }, 'CLIENT_NOT_FOUND'],
  ])('add refuses %s and stores nothing', async (_name, template, code) => {
    await expect(catalog.addTemplate(template)).rejects.toMatchObject({ code });
    expect(await catalog.listTemplates()).toEqual([]);
  });

  it('add refuses a duplicate templet_id', async () => {
    await catalog.addTemplate({ templetId: 't1', body: 'x', clientId: null });
    await expect(catalog.addTemplate({ templetId: 't1', body: 'y', clientId: null })).rejects.toMatchObject({ code: 'TEMPLATE_EXISTS' });
  });

  it('remove deletes it; an unknown one is TEMPLATE_NOT_FOUND', async () => {
    await catalog.addTemplate({ templetId: 't1', body: 'x', clientId: null });
    await catalog.removeTemplate('t1');
    expect(await catalog.listTemplates()).toEqual([]);
    await expect(catalog.removeTemplate('t1')).rejects.toMatchObject({ code: 'TEMPLATE_NOT_FOUND' });
  });
});

describe('callbacks', () => {
  const guarded: string[] = [];
  const guard = async (url: string): Promise<URL> => {
    guarded.push(url);
    if (url.includes('private')) throw Object.assign(new Error('refused'), { code: 'CALLBACK_URL_REFUSED' });
    return new URL(url);
  };

  it('setCallback checks the URL with the guard, stores it with a fresh 32-byte secret each time, shown only in its answer', async () => {
    const withGuard = new CatalogService(store, () => NOW, guard);
    await withGuard.addClient('alpha');
    const first = await withGuard.setCallback('alpha', { url: 'https://hooks.example.com/a', events: 'final' });
    expect(first).toEqual({ clientId: 'alpha', callbackUrl: 'https://hooks.example.com/a', events: 'final', callbackSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(Buffer.from(first.callbackSecret, 'base64url')).toHaveLength(32);
    expect(guarded).toContain('https://hooks.example.com/a');
    const second = await withGuard.setCallback('alpha', { url: 'https://hooks.example.com/a' });
    expect(second.events).toBe('all');
    expect(second.callbackSecret).not.toBe(first.callbackSecret);
    expect((await store.listClients())[0]!.callback).toEqual({ url: 'https://hooks.example.com/a', events: 'all', secret: second.callbackSecret });
    const listed = await withGuard.listClients();
    expect(listed).toEqual([{ clientId: 'alpha', enabled: true, createdAt: NOW, callbackUrl: 'https://hooks.example.com/a', events: 'all' }]);
    expect(JSON.stringify(listed)).not.toContain(second.callbackSecret);
  });

  it('refuses what the guard refuses, an unknown events choice, and an unknown client; clearCallback removes it', async () => {
    const withGuard = new CatalogService(store, () => NOW, guard);
    await withGuard.addClient('alpha');
    await expect(withGuard.setCallback('alpha', { url: 'http://private.example/' })).rejects.toMatchObject({ code: 'CALLBACK_URL_REFUSED' });
    await expect(withGuard.setCallback('alpha', { url: 'https://x.example/', events: 'some' })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(withGuard.setCallback('nobody', { url: 'https://x.example/' })).rejects.toMatchObject({ code: 'CLIENT_NOT_FOUND' });
    expect((await store.listClients())[0]!.callback).toBeNull();
    await withGuard.setCallback('alpha', { url: 'https://x.example/' });
    expect(await withGuard.clearCallback('alpha')).toEqual({ clientId: 'alpha', callbackUrl: null });
    expect((await withGuard.listClients())[0]).toMatchObject({ callbackUrl: null, events: null });
    await expect(withGuard.clearCallback('nobody')).rejects.toMatchObject({ code: 'CLIENT_NOT_FOUND' });
  });

  it('without a guard given, refuses private addresses', async () => {
    await catalog.addClient('alpha');
    await expect(catalog.setCallback('alpha', { url: 'http://127.0.0.1:8080/' })).rejects.toMatchObject({ code: 'CALLBACK_URL_REFUSED' });
  });
});
