import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPasscode } from '../../src/domain/passcode.js';
import { PASSCODE_SHAPE, requireBuild, runCli, runJson, tempDir } from '../support/cli.js';

const tmp = tempDir();
// A folder that does not exist yet: the CLI creates it.
const DB = join(tmp.dir, 'nested', 'folder', 'smsgate.db');
const env = { SMSGATE_DB: DB };

beforeAll(() => requireBuild());
afterAll(() => tmp.cleanup());

/** Every text value in every table of the database. */
function allStoredText(): string {
  const db = new Database(DB, { readonly: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
    return tables.map(({ name }) => JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())).join('\n');
  } finally {
    db.close();
  }
}

describe('smsgate client add', () => {
  it('creates the database folder, prints the client and a passcode (human form)', async () => {
    const result = await runCli(['client', 'add', 'alpha'], env);
    expect(result.code).toBe(0);
    expect(existsSync(DB)).toBe(true);
    expect(result.stdout).toMatch(/alpha/);
    const passcode = /passcode\s+(\S+)/.exec(result.stdout)?.[1];
    expect(passcode).toMatch(PASSCODE_SHAPE);
  });

  it('--json prints exactly {"client_id", "passcode"}; the database holds only its hash', async () => {
    const out = await runJson(['client', 'add', 'beta'], env);
    expect(Object.keys(out).sort()).toEqual(['client_id', 'passcode']);
    expect(out.client_id).toBe('beta');
    expect(out.passcode).toMatch(PASSCODE_SHAPE);
    const stored = allStoredText();
    expect(stored).not.toContain(out.passcode);
    expect(stored).not.toContain(out.passcode.replaceAll('-', ''));
    expect(stored).toContain(hashPasscode('beta', out.passcode));
  });

  it('gives every client a different passcode', async () => {
    const [a, b] = await Promise.all([runJson(['client', 'add', 'gamma'], env), runJson(['client', 'add', 'delta'], env)]);
    expect(a.passcode).not.toBe(b.passcode);
  });

  it('a duplicate client exits 1 with a message (and a JSON error with --json)', async () => {
    const [human, json] = await Promise.all([runCli(['client', 'add', 'alpha'], env), runCli(['client', 'add', 'alpha', '--json'], env)]);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/alpha.*exists/);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout.trim())).toMatchObject({ error_code: 'CLIENT_EXISTS', error_message: expect.stringMatching(/exists/) });
  });

  it('an invalid client id exits 1', async () => {
    const result = await runCli(['client', 'add', 'has space'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/client_id/);
  });
});

describe('smsgate client list / rotate / disable / enable', () => {
  it('list prints every client with its state', async () => {
    const [human, json] = await Promise.all([runCli(['client', 'list'], env), runJson(['client', 'list'], env)]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^alpha\tenabled\t\d{4}-/m);
    expect(Object.keys(json)).toEqual(['clients']);
    const alpha = json.clients.find((c: { client_id: string }) => c.client_id === 'alpha');
    expect(alpha).toEqual({ client_id: 'alpha', enabled: true, created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), callback_url: null, events: null });
    expect(JSON.stringify(json)).not.toMatch(/passcode|hash|secret/);
  });

  it('rotate prints a new passcode; the old hash is replaced', async () => {
    const before = await runJson(['client', 'add', 'rot'], env);
    const rotated = await runJson(['client', 'rotate', 'rot'], env);
    expect(Object.keys(rotated).sort()).toEqual(['client_id', 'passcode']);
    expect(rotated.client_id).toBe('rot');
    expect(rotated.passcode).toMatch(PASSCODE_SHAPE);
    expect(rotated.passcode).not.toBe(before.passcode);
    const stored = allStoredText();
    expect(stored).toContain(hashPasscode('rot', rotated.passcode));
    expect(stored).not.toContain(hashPasscode('rot', before.passcode));
    expect(stored).not.toContain(rotated.passcode);
    const human = await runCli(['client', 'rotate', 'rot'], env);
    expect(human.code).toBe(0);
    expect(/passcode\s+(\S+)/.exec(human.stdout)?.[1]).toMatch(PASSCODE_SHAPE);
  });

  it('rotate of an unknown client exits 1', async () => {
    const [human, json] = await Promise.all([runCli(['client', 'rotate', 'ghost'], env), runCli(['client', 'rotate', 'ghost', '--json'], env)]);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/ghost/);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ error_code: 'CLIENT_NOT_FOUND' });
  });

  it('disable and enable change the state list shows', async () => {
    expect(await runJson(['client', 'disable', 'beta'], env)).toEqual({ client_id: 'beta', enabled: false });
    let list = await runJson(['client', 'list'], env);
    expect(list.clients.find((c: { client_id: string }) => c.client_id === 'beta').enabled).toBe(false);
    const human = await runCli(['client', 'list'], env);
    expect(human.stdout).toMatch(/^beta\tdisabled\t/m);
    const enabled = await runCli(['client', 'enable', 'beta'], env);
    expect(enabled.code).toBe(0);
    expect(enabled.stdout).toMatch(/beta enabled/);
    list = await runJson(['client', 'list'], env);
    expect(list.clients.find((c: { client_id: string }) => c.client_id === 'beta').enabled).toBe(true);
  });

  it('disable / enable of an unknown client exit 1', async () => {
    const results = await Promise.all([runCli(['client', 'disable', 'ghost'], env), runCli(['client', 'enable', 'ghost', '--json'], env)]);
    expect(results.map((r) => r.code)).toEqual([1, 1]);
  });
});

describe('settings', () => {
  it('an invalid setting exits 2 naming the variable', async () => {
    const result = await runCli(['client', 'list'], { ...env, SMSGATE_DEFAULT_REGION: 'ZZ' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/SMSGATE_DEFAULT_REGION/);
  });
});
