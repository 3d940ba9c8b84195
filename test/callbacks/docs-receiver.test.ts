import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCallback } from '../../src/callbacks/signature.js';
import { ROOT, childEnv, freePort } from '../support/cli.js';

/** The js block after `<!-- callback-receiver -->` in `file`, as a reader copies it. */
function receiverOf(file: string): string {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const marker = lines.indexOf('<!-- callback-receiver -->');
  if (marker < 0 || lines[marker + 1] !== '```js') throw new Error(`${file} lost its receiver block`);
  const end = lines.indexOf('```', marker + 2);
  return lines.slice(marker + 2, end).join('\n');
}

const SECRET = 'the-secret-client-callback-printed';
let child: ChildProcess;
let url = '';
let output = '';

beforeAll(async () => {
  const port = await freePort();
  child = spawn(process.execPath, ['--input-type=module', '-e', receiverOf('docs/callbacks.md')], { env: childEnv({ CALLBACK_SECRET: SECRET, PORT: String(port) }) });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await fetch(url, { method: 'POST', body: '{}' });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`the docs receiver did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
});
afterAll(() => {
  child?.kill('SIGKILL');
});

const body = JSON.stringify({ events: [{ event_id: 'u-1.2', sms_uid: 'u-1', status: 'delivered', sequence: 2, occurred_at: '2026-12-03T15:04:05.123Z', note: '短信 ✓' }] });
const send = (signature: string, raw = body) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'smsgate-signature': signature }, body: raw });

describe('the receiver of docs/callbacks.md', () => {
  it('is the one README shows', () => {
    expect(receiverOf('README.md')).toBe(receiverOf('docs/callbacks.md'));
  });

  it('accepts a request signed as smsgate signs it and reads its events', async () => {
    expect((await send(signCallback(SECRET, body, Date.now()))).status).toBe(204);
    await expect.poll(() => output).toContain('u-1.2 u-1 delivered 2');
  });

  it('rejects another secret, a changed body and a missing header', async () => {
    expect((await send(signCallback('another', body, Date.now()))).status).toBe(401);
    expect((await send(signCallback(SECRET, body, Date.now()), body.replace('delivered', 'error_rejected'))).status).toBe(401);
    expect((await fetch(url, { method: 'POST', body })).status).toBe(401);
  });

  it('rejects a t more than 5 minutes off, either way', async () => {
    expect((await send(signCallback(SECRET, body, Date.now() - 6 * 60_000))).status).toBe(401);
    expect((await send(signCallback(SECRET, body, Date.now() + 6 * 60_000))).status).toBe(401);
    expect((await send(signCallback(SECRET, body, Date.now() - 4 * 60_000))).status).toBe(204);
  });
});
