import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { NewMessage } from '../../src/store/message-store.js';

// A worker thread runs compiled JavaScript: this test drives the built thread (npm test builds
// first), the way `smsgate serve` does.
const built = new URL('../../dist/compose/dispatch-thread.js', import.meta.url);
if (!existsSync(built)) throw new Error('dist/ is missing: run `npm run build` (npm test does) before this test');
const { startDispatchThread } = (await import(built.href)) as typeof import('../../src/compose/dispatch-thread.js');

const dir = mkdtempSync(join(tmpdir(), 'smsgate-thread-'));
const dbPath = join(dir, 'smsgate.db');
let thread: Awaited<ReturnType<typeof startDispatchThread>>;

beforeAll(async () => {
  await SqliteStore.open(dbPath).close(); // the schema, as `serve` has it before the thread starts
  const config = loadConfig({ SMSGATE_DB: dbPath, SMSGATE_SIM_DLR_MS: '20', SMSGATE_LOG_LEVEL: 'silent' });
  thread = await startDispatchThread({ config, carriers: undefined }, pino({ level: 'silent' }));
});
afterAll(async () => {
  await thread.stop();
  rmSync(dir, { recursive: true, force: true });
});

function message(smsUid: string): NewMessage {
  return { smsUid, clientId: 'c1', templetId: 't1', phoneNumber: '+12025550100', text: 'code 1', createdAt: Date.now() };
}

it('commits the sends it is given and delivers them through its own simulator', async () => {
  const smsUid = '01a21000-0000-7000-8000-000000000001';
  await thread.insertMessages([message(smsUid)]);
  const store = SqliteStore.open(dbPath);
  try {
    await expect.poll(async () => (await store.getMessage(smsUid))?.status, { timeout: 5_000 }).toBe('delivered');
  } finally {
    await store.close();
  }
});

it('fails a batch it could not commit, and only that batch', async () => {
  const smsUid = '01a21000-0000-7000-8000-000000000002';
  await thread.insertMessages([message(smsUid)]);
  await expect(thread.insertMessages([message('01a21000-0000-7000-8000-000000000003'), message(smsUid)])).rejects.toThrow(/UNIQUE/);
  await thread.insertMessages([message('01a21000-0000-7000-8000-000000000004')]);
});

it('hands back the Idempotency-Keys that kept messages of a batch out', async () => {
  const first = { ...message('01a21000-0000-7000-8000-000000000005'), idempotency: { key: 'k', fingerprint: 'f', expiresAt: Date.now() + 60_000 } };
  expect(await thread.insertMessages([first])).toEqual([]);
  const repeat = { ...first, smsUid: '01a21000-0000-7000-8000-000000000006' };
  expect(await thread.insertMessages([repeat])).toEqual([{ clientId: 'c1', key: 'k', fingerprint: 'f', smsUid: first.smsUid, expiresAt: first.idempotency.expiresAt }]);
});
