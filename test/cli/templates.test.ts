import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { requireBuild, runCli, runJson, tempDir } from '../support/cli.js';

const tmp = tempDir();
const DB = join(tmp.dir, 'smsgate.db');
const env = { SMSGATE_DB: DB };

beforeAll(async () => {
  requireBuild();
  await runJson(['client', 'add', 'owner'], env);
});
afterAll(() => tmp.cleanup());

describe('smsgate template', () => {
  it('add without --client: any client may use it', async () => {
    const out = await runJson(['template', 'add', 't1', '--text', 'Your code is ${code}.'], env);
    expect(out).toEqual({ templet_id: 't1', text: 'Your code is ${code}.', client_id: null });
  });

  it('add with --client: only that client', async () => {
    const result = await runCli(['template', 'add', 'mine', '--text', 'Hi ${name}', '--client', 'owner'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/mine/);
  });

  it('list shows both (human and --json)', async () => {
    const [human, json] = await Promise.all([runCli(['template', 'list'], env), runJson(['template', 'list'], env)]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^t1\t\(any client\)\tYour code is \$\{code\}\.$/m);
    expect(human.stdout).toMatch(/^mine\towner\tHi \$\{name\}$/m);
    expect(json).toEqual({
      templates: expect.arrayContaining([
        { templet_id: 't1', text: 'Your code is ${code}.', client_id: null },
        { templet_id: 'mine', text: 'Hi ${name}', client_id: 'owner' },
      ]),
    });
  });

  it.each([
    ['a duplicate templet_id', ['template', 'add', 't1', '--text', 'again']],
    ['an unknown --client', ['template', 'add', 'x1', '--text', 'x', '--client', 'ghost']],
    ['an empty text', ['template', 'add', 'x2', '--text', ' ']],
    ['a stray ${', ['template', 'add', 'x3', '--text', 'code ${ code }']],
    ['an invalid templet_id', ['template', 'add', 'bad id', '--text', 'x']],
    ['no --text', ['template', 'add', 'x4']],
    ['removing an unknown template', ['template', 'remove', 'ghost']],
  ])('%s exits 1', async (_name, args) => {
    const result = await runCli(args, env);
    expect(result.code).toBe(1);
    expect(result.stderr.length).toBeGreaterThan(0);
  });

  it('errors with --json are one JSON object', async () => {
    const out = await runJson(['template', 'remove', 'ghost'], env, 1);
    expect(out).toEqual({ error_code: 'TEMPLATE_NOT_FOUND', error_message: expect.stringMatching(/ghost/) });
  });

  it('remove deletes it', async () => {
    await runJson(['template', 'add', 'gone', '--text', 'bye'], env);
    expect(await runJson(['template', 'remove', 'gone'], env)).toEqual({ templet_id: 'gone', removed: true });
    const list = await runJson(['template', 'list'], env);
    expect(list.templates.map((t: { templet_id: string }) => t.templet_id)).not.toContain('gone');
    const human = await runCli(['template', 'add', 'gone2', '--text', 'x'], env);
    expect(human.code).toBe(0);
    const removed = await runCli(['template', 'remove', 'gone2'], env);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/gone2 removed/);
  });
});

describe('smsgate message show', () => {
  it('shows the rendered text, number, client, status and status times', async () => {
    const store = SqliteStore.open(DB);
    const t0 = Date.parse('2026-01-02T03:04:05.000Z');
    try {
      await store.insertMessages([
        { smsUid: 'uid-1', clientId: 'owner', templetId: 't1', phoneNumber: '+8613800138000', text: 'Your code is 8888.', createdAt: t0 },
      ]);
      await store.markSent('uid-1', [{ partNo: 1, carrierMessageId: 'abc' }], t0 + 1000);
      await store.applyReceipt({ carrierMessageIds: ['abc'], status: 'delivered', errorCode: '0', at: t0 + 2000 });
    } finally {
      await store.close();
    }
    const json = await runJson(['message', 'show', 'uid-1'], env);
    expect(json).toMatchObject({
      sms_uid: 'uid-1',
      client_id: 'owner',
      templet_id: 't1',
      phone_number: '+8613800138000',
      text: 'Your code is 8888.',
      status: 'delivered',
      error_code: '0',
      queued_at: '2026-01-02T03:04:05.000Z',
      sent_at: '2026-01-02T03:04:06.000Z',
      done_at: '2026-01-02T03:04:07.000Z',
    });
    const human = await runCli(['message', 'show', 'uid-1'], env);
    expect(human.code).toBe(0);
    for (const text of ['uid-1', 'owner', '+8613800138000', 'Your code is 8888.', 'delivered', '2026-01-02T03:04:05.000Z', '2026-01-02T03:04:07.000Z']) {
      expect(human.stdout).toContain(text);
    }
  });

  it('shows the attempts made so far (a submit that will be retried counts)', async () => {
    const store = SqliteStore.open(DB);
    const t0 = Date.parse('2026-01-02T03:04:05.000Z');
    try {
      await store.insertMessages([
        { smsUid: 'uid-2', clientId: 'owner', templetId: 't1', phoneNumber: '+8613800138001', text: 'Your code is 1.', createdAt: t0 },
      ]);
      await store.markRetry('uid-2', t0 + 5000);
    } finally {
      await store.close();
    }
    expect(await runJson(['message', 'show', 'uid-2'], env)).toMatchObject({ status: 'queuing', attempts: 1, sent_at: null });
    const human = await runCli(['message', 'show', 'uid-2'], env);
    expect(human.stdout).toMatch(/^attempts\s+1$/m);
  });

  it('an unknown sms_uid exits 1', async () => {
    const [human, json] = await Promise.all([runCli(['message', 'show', 'nope'], env), runCli(['message', 'show', 'nope', '--json'], env)]);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/nope/);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ error_code: 'MESSAGE_NOT_FOUND' });
  });
});
