import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { sendMessage } from './contract/support.js';

// The gateway skips the outbox INSERT while no client has a callback URL, and must notice a URL
// that another process (the CLI) set on the same file at its very next status change.
let dir: string;
let gateway: SqliteStore;
let cli: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smsgate-cb-'));
  gateway = SqliteStore.open(join(dir, 'smsgate.db'));
  cli = SqliteStore.open(join(dir, 'smsgate.db'));
});
afterEach(async () => {
  await gateway.close();
  await cli.close();
  rmSync(dir, { recursive: true, force: true });
});

it('writes events from the first change after another process set a URL, and none after it cleared it', async () => {
  await cli.addClient('c1', 'hash', 1_000);
  await sendMessage(gateway, ['X1'], 2_000, { clientId: 'c1' }); // no URL yet: nothing owed, flag read as "none"
  expect(await gateway.callbackBacklog()).toEqual({ owed: 0, dead: 0 });

  await cli.setClientCallback('c1', { url: 'https://hooks.example.com/c1', events: 'all', secret: 's' });
  const owed = await sendMessage(gateway, ['X2'], 3_000, { clientId: 'c1' });
  expect((await gateway.claimCallbackEvents({ clientId: 'c1', owner: 'o', limit: 10, leaseMs: 1_000, now: 4_000 })).map((e) => e.smsUid)).toEqual([owed]);

  await cli.setClientCallback('c1', null);
  await sendMessage(gateway, ['X3'], 5_000, { clientId: 'c1' });
  expect(await gateway.callbackBacklog()).toEqual({ owed: 1, dead: 0 });
});
