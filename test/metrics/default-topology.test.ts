import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cnMobile } from '../support/api.js';
import { postJson, ROOT, runJson, startServe, tempDir, within, type ServeProcess } from '../support/cli.js';
import { familyNames, moved, scrape, scrapeUntilMoved, valueOf } from '../support/metrics.js';

const tmp = tempDir('smsgate-metrics-');
afterAll(() => tmp.cleanup());

/** Every smsgate_, process_ or nodejs_ metric name a text mentions, as the family /metrics declares it. */
function metricNamesIn(text: string): Set<string> {
  const names = [...text.matchAll(/\b((?:smsgate|process|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1]!);
  return new Set(names.map((name) => name.replace(/_(bucket|sum|count)$/, '')));
}

/** The alert rules: the yaml block of docs/monitoring.md that holds `groups:`. */
function alertRules(): string {
  const doc = readFileSync(join(ROOT, 'docs/monitoring.md'), 'utf8');
  const block = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.startsWith('groups:'));
  if (!block) throw new Error('docs/monitoring.md has no alert rules block');
  return block;
}

describe('metrics of the embedded default (dispatcher in its worker thread), over the built CLI', () => {
  let server: ServeProcess;
  let admin = '';
  let passcode = '';

  beforeAll(async () => {
    const db = join(tmp.dir, 'default.db');
    ({ passcode } = await runJson(['client', 'add', 'metrics'], { SMSGATE_DB: db }));
    await runJson(['template', 'add', 't1', '--text', 'code ${code}'], { SMSGATE_DB: db });
    server = await startServe({ SMSGATE_DB: db, SMSGATE_PER_NUMBER_INTERVAL_S: '0', SMSGATE_SUMMARY_INTERVAL_S: '1' }, { args: ['--json'] });
    const [line] = await server.waitForStdout(/^\{.*\}$/m, 10_000);
    admin = `http://127.0.0.1:${JSON.parse(line).admin_port}`;
    await within(15_000, async () => (await fetch(`${admin}/readyz`)).status === 200, 'the dispatch thread bound to its simulator');
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("counts the sends in the main thread and the dispatch thread's statuses and submits, in one /metrics", async () => {
    const before = (await scrape(admin)).samples;
    const uids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = await postJson(`${server.url}/api/sms/v1/sendsms`, { client_id: 'metrics', passcode, phone_number: cnMobile(i), templet_id: 't1', contents: [{ code: '1' }] });
      expect(answer.status).toBe(200);
      uids.push(answer.json.sms_uid);
    }
    expect((await postJson(`${server.url}/api/sms/v1/sendsms`, { client_id: 'metrics', passcode: 'nope', phone_number: cnMobile(9), templet_id: 't1', contents: [] })).status).toBe(401);
    const after = await scrapeUntilMoved(admin, before, 'smsgate_message_statuses_total', { status: 'delivered' }, 5, 20_000);
    expect(moved(before, after, 'smsgate_sends_accepted_total')).toBe(5);
    expect(moved(before, after, 'smsgate_sends_rejected_total', { reason: 'AUTH_FAILED' })).toBe(1);
    expect(moved(before, after, 'smsgate_message_statuses_total', { status: 'sent' })).toBe(5);
    expect(moved(before, after, 'smsgate_smpp_submits_total', { outcome: 'ok' })).toBe(5);
    expect(moved(before, after, 'smsgate_smpp_receipts_total')).toBe(5);
    expect(valueOf(after, 'smsgate_smpp_binds_up')).toBe(1);
    // The SQLite writer is the thread's: its commits are counted there and show here.
    expect(moved(before, after, 'smsgate_store_commit_batch_size_count', { writer: 'combined' })).toBeGreaterThan(0);
    // Process metrics once, not once per thread.
    expect(after.filter((s) => s.name === 'process_resident_memory_bytes')).toHaveLength(1);
  });

  it('every metric the alert rules and the Grafana dashboard name is in /metrics', async () => {
    const { text } = await scrape(admin);
    const served = familyNames(text);
    const named = new Set([...metricNamesIn(alertRules()), ...metricNamesIn(readFileSync(join(ROOT, 'docs/grafana/smsgate.json'), 'utf8'))]);
    expect(named.size).toBeGreaterThan(10);
    expect([...named].filter((name) => !served.has(name))).toEqual([]);
  });

  it('logs the start line and a summary each interval with the traffic, at info, and no line per message', async () => {
    const start = JSON.parse(server.stderr().split('\n').find((line) => line.includes('smsgate is running'))!);
    expect(start).toMatchObject({ level: 30, version: expect.stringMatching(/^\d+\.\d+\.\d+/), role: 'all', topology: expect.stringContaining('worker thread'), metrics: 'on' });
    expect(start.ports).toMatchObject({ http: server.port, admin: expect.any(Number) });
    expect(start.store).toMatchObject({ kind: 'sqlite' });
    await within(5_000, async () => /"accepted":[1-9]/.test(server.stderr()), 'a summary with the sends');
    const summaries = server.stderr().split('\n').filter((line) => line.includes('process summary')).map((line) => JSON.parse(line));
    expect(summaries.reduce((sum, s) => sum + s.accepted, 0)).toBe(5);
    expect(summaries.at(-1)).toMatchObject({ level: 30, queuing: expect.any(Number), sentAwaitingReceipt: expect.any(Number), errors: 0 });
    const infoLines = server.stderr().split('\n').filter((line) => line.includes('"level":30'));
    expect(infoLines.filter((line) => /sms_?[uU]id/.test(line))).toEqual([]);
  });
});
