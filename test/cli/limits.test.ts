import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, runCli, runJson, tempDir } from '../support/cli.js';

const tmp = tempDir();
const env = { SMSGATE_DB: join(tmp.dir, 'smsgate.db') };

beforeAll(async () => {
  requireBuild();
  await runJson(['client', 'add', 'signup'], env);
});
afterAll(() => tmp.cleanup());

describe('smsgate client limits', () => {
  it('sets each limit given, keeps the others, and clears one with none', async () => {
    expect(await runJson(['client', 'limits', 'signup', '--rate', '200/s', '--countries', 'cn,HK,SG', '--sender', 'COOKPAD'], env)).toEqual({
      client_id: 'signup',
      rate: '200/s',
      daily: null,
      countries: 'CN,HK,SG',
      country_cap: null,
      sender: 'COOKPAD',
    });
    await runJson(['client', 'limits', 'signup', '--daily', '100000', '--country-cap', '500/1h', '--countries', 'none'], env);
    expect(await runJson(['client', 'limits', 'signup'], env)).toMatchObject({ rate: '200/s', daily: 100_000, countries: null, country_cap: '500/1h', sender: 'COOKPAD' });
  });

  it.each([
    [['--rate', '200'], /rate "200" is invalid/],
    [['--daily', 'lots'], /daily quota "NaN" is invalid/],
    [['--countries', 'CN,ZZ'], /country "ZZ" is invalid/],
    [['--sender', 'A NAME TOO LONG'], /sender "A NAME TOO LONG" is invalid/],
  ])('refuses %j with the rule, changing nothing', async (args, message) => {
    const result = await runCli(['client', 'limits', 'signup', ...args], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(await runJson(['client', 'limits', 'signup'], env)).toMatchObject({ rate: '200/s', daily: 100_000 });
  });

  it('names an unknown client', async () => {
    const result = await runCli(['client', 'limits', 'nobody', '--rate', '1/s'], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/no client nobody/);
  });
});

describe('smsgate blocklist', () => {
  it('adds numbers in any spelling as E.164 and prefixes, global or per client; lists and removes them', async () => {
    expect(await runJson(['blocklist', 'add', '+86 138-0013-8000'], env)).toEqual({ entry: '+8613800138000', client_id: null, added: true });
    expect(await runJson(['blocklist', 'add', '0086 13800138000'], env)).toMatchObject({ added: false });
    expect(await runJson(['blocklist', 'add', '+88213', '--client', 'signup'], env)).toEqual({ entry: '+88213', client_id: 'signup', added: true });
    expect((await runJson(['blocklist', 'list'], env)).entries).toEqual([
      { entry: '+8613800138000', client_id: null },
      { entry: '+88213', client_id: 'signup' },
    ]);
    expect((await runJson(['blocklist', 'list', '--client', 'signup'], env)).entries).toEqual([{ entry: '+88213', client_id: 'signup' }]);
    await runJson(['blocklist', 'remove', '13800138000'], env);
    const again = await runCli(['blocklist', 'remove', '13800138000'], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/\+8613800138000 is not on the global blocklist/);
    expect((await runJson(['blocklist', 'list'], env)).entries).toEqual([{ entry: '+88213', client_id: 'signup' }]);
  });

  it('refuses what is neither a number nor a prefix', async () => {
    const result = await runCli(['blocklist', 'add', 'premium'], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/blocklist entry "premium" is invalid/);
  });
});
