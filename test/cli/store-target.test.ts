import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStore } from '../../src/cli/store-target.js';
import { requireBuild, runCli, runJson, tempDir } from '../support/cli.js';

const tmp = tempDir('smsgate-store-');
beforeAll(() => requireBuild());
afterAll(() => tmp.cleanup());

describe('describeStore', () => {
  it('names the SQLite file by its absolute path', () => {
    expect(describeStore({ dbPath: '/srv/smsgate.db', databaseUrl: undefined })).toBe('sqlite /srv/smsgate.db');
    expect(describeStore({ dbPath: './data/smsgate.db', databaseUrl: undefined })).toBe(`sqlite ${join(process.cwd(), 'data/smsgate.db')}`);
  });

  it('names PostgreSQL by host, port and database, never user or password', () => {
    expect(describeStore({ dbPath: './x.db', databaseUrl: 'postgres://admin:s3cret@db.example:6543/smsgate?sslmode=require' })).toBe(
      'postgres db.example:6543/smsgate',
    );
    expect(describeStore({ dbPath: './x.db', databaseUrl: 'postgresql://127.0.0.1/test' })).toBe('postgres 127.0.0.1:5432/test');
  });
});

describe('every catalog and message command says which store it uses', () => {
  it('on stderr in text mode, and as {"store"} on stderr with --json; stdout keeps the answer alone', async () => {
    const db = join(tmp.dir, 'said.db');
    const env = { SMSGATE_DB: db };
    const human = await runCli(['client', 'add', 'alpha'], env);
    expect(human.code).toBe(0);
    expect(human.stderr).toBe(`store: sqlite ${db}\n`);
    expect(human.stdout).not.toContain('store');

    const json = await runCli(['template', 'list', '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stderr)).toEqual({ store: `sqlite ${db}` });
    expect(Object.keys(JSON.parse(json.stdout))).toEqual(['templates']);
  });

  it('with SMSGATE_DATABASE_URL it names PostgreSQL without the password, also when it fails', async () => {
    // Port 1: nothing listens, so the command fails after saying where it went.
    const result = await runCli(['client', 'list'], { SMSGATE_DATABASE_URL: 'postgres://admin:s3cret-pw@127.0.0.1:1/smsgate' });
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe('store: postgres 127.0.0.1:1/smsgate');
    expect(result.stdout + result.stderr).not.toContain('s3cret-pw');
  });
});

describe('commands that need a database refuse a missing or empty SQLite file', () => {
  it('client list on a fresh path says there is no database there, exits 1, creates nothing', async () => {
    const db = join(tmp.dir, 'fresh', 'smsgate.db');
    const [human, json] = await Promise.all([runCli(['client', 'list'], { SMSGATE_DB: db }), runJson(['client', 'list'], { SMSGATE_DB: db }, 1)]);
    expect(human.code).toBe(1);
    expect(human.stdout).toBe('');
    expect(human.stderr).toContain(`no database at ${db}`);
    expect(json).toEqual({ error_code: 'DATABASE_NOT_FOUND', error_message: expect.stringContaining(`no database at ${db}`) });
    expect(existsSync(db)).toBe(false);
  });

  it('an empty file is refused the same way', async () => {
    const db = join(tmp.dir, 'empty.db');
    writeFileSync(db, '');
    const result = await runCli(['template', 'list'], { SMSGATE_DB: db });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no database at ${db}`);
  });

  it.each([
    ['message show', ['message', 'show', 'x']],
    ['client rotate', ['client', 'rotate', 'x']],
    ['template remove', ['template', 'remove', 'x']],
  ])('%s too', async (_name, args) => {
    const db = join(tmp.dir, 'never', 'smsgate.db');
    const result = await runJson(args, { SMSGATE_DB: db }, 1);
    expect(result.error_code).toBe('DATABASE_NOT_FOUND');
    expect(existsSync(db)).toBe(false);
  });
});
