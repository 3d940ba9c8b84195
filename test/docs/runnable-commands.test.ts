import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, childEnv, freePort, requireBuild, startServe, tempDir } from '../support/cli.js';
import { docFiles, promisedAnswers, runnableBlocks, type RunnableBlock } from './runnable-blocks.js';

/**
 * Every block of README.md and docs/*.md marked runnable (see runnable-blocks.ts) runs as a
 * reader would run it, from the clone, and must exit 0. Each gets a fresh temporary database
 * (SMSGATE_DB) and free ports (SMSGATE_PORT, SMSGATE_SIM_PORT), so it never touches ./data or
 * the ports 8080 and 2775; a gateway block runs beside a fresh `serve` (the sample client's
 * passcode in PASSCODE, as the README tells the reader, and the admin token it printed in
 * ADMIN_TOKEN) with its 127.0.0.1:8080 and 127.0.0.1:8081 pointed at that gateway's ports.
 * The answers its comments show must appear in its output, in that order.
 *
 * `npx smsgate` costs npm's start-up (seconds on a busy machine) on every call; the blocks run
 * with an `npx` first on PATH that runs the built CLI directly for `smsgate` and hands anything
 * else to the real npx. One test checks that the real `npx smsgate` finds this package.
 */

const blocks = docFiles(ROOT).flatMap((file) => runnableBlocks(ROOT, file));
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((cleanup) => cleanup()));

interface Run {
  readonly code: number | null;
  readonly output: string;
}

function run(lang: RunnableBlock['lang'], code: string, env: Record<string, string>): Promise<Run> {
  const [command, args] =
    lang === 'sh' ? ['bash', ['-e', '-o', 'pipefail', '-c', code]] : [process.execPath, ['--input-type=module', '-e', code]];
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: childEnv(env) });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) => resolveRun({ code: exitCode, output }));
  });
}

/** A folder with the fast `npx`; it finds the real one on PATH once this folder is taken out. */
function fastNpxDir(): string {
  const { dir, cleanup } = tempDir('smsgate-docs-npx-');
  cleanups.push(cleanup);
  const script = [
    '#!/bin/sh',
    `if [ "$1" = smsgate ]; then shift; exec "${process.execPath}" "${CLI}" "$@"; fi`,
    `PATH=$(printf %s "$PATH" | tr '${delimiter}' '\\n' | grep -vxF '${dir}' | paste -sd '${delimiter}' -)`,
    'exec npx "$@"',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'npx'), script);
  chmodSync(join(dir, 'npx'), 0o755);
  return dir;
}
const npxDir = fastNpxDir();

async function isolatedEnv(): Promise<Record<string, string>> {
  const { dir, cleanup } = tempDir('smsgate-docs-');
  cleanups.push(cleanup);
  return {
    PATH: `${npxDir}${delimiter}${process.env.PATH ?? ''}`,
    SMSGATE_DB: `${dir}/smsgate.db`,
    SMSGATE_PORT: String(await freePort()),
    SMSGATE_SIM_PORT: String(await freePort()),
    SMSGATE_SIM_DLR_MS: '50',
    SMSGATE_LOG_LEVEL: 'warn',
  };
}

async function runBlock(block: RunnableBlock): Promise<Run> {
  const env = await isolatedEnv();
  if (block.mode === 'plain') return run(block.lang, block.code, env);
  const gateway = await startServe(env, { port: Number(env.SMSGATE_PORT), args: ['--json'] });
  try {
    const [line] = await gateway.waitForStdout(/^\{.*\}$/m);
    const started = JSON.parse(line) as { sample?: { passcode?: string } | null; admin_port?: number; admin_token?: string | null };
    const passcode = started.sample?.passcode;
    if (!passcode) throw new Error(`serve --json printed no sample passcode: ${line}`);
    // The admin listener too: its port for 8081, and the token the first start printed.
    const code = block.code
      .replaceAll('127.0.0.1:8080', `127.0.0.1:${gateway.port}`)
      .replaceAll('127.0.0.1:8081', `127.0.0.1:${started.admin_port}`);
    return await run(block.lang, code, { ...env, PASSCODE: passcode, ADMIN_TOKEN: started.admin_token ?? '' });
  } finally {
    await gateway.stop();
  }
}

describe('docs: runnable blocks', () => {
  it('reads the answers a block shows in its comments', () => {
    const [sent, queried] = promisedAnswers('x=$(curl ...)\necho "$x"   # {"status":"queuing","error_code":"0"}\n# HTTP/1.1 404 Not Found  (a remark)');
    expect(sent!.test('{"status":"queuing","error_code":"0"}')).toBe(true);
    expect(sent!.test('{"status":"sent","error_code":"0"}')).toBe(false);
    expect(queried!.test('HTTP/1.1 404 Not Found')).toBe(true);
    expect(promisedAnswers('{"a":"..."}'.replace('{', '# {'))[0]!.test('{"a":"anything"}')).toBe(true);
  });

  it('finds the marked blocks of README.md and docs/*.md', () => {
    expect(blocks.map((b) => b.file)).toEqual(expect.arrayContaining(['README.md', 'docs/simulator.md']));
    expect(blocks.some((b) => b.mode === 'gateway')).toBe(true);
  });

  // The first `npx smsgate` of a checkout links it into npm's npx cache, and npm runs the
  // package's `prepare` (the whole build: tsc and the console's Vite build) while doing so: 13 s
  // on a quiet 2-core machine, past 30 s beside the rest of the suite (CI, 2026-12-03). Later
  // calls (the blocks below) take about 2 s.
  it('npx smsgate runs this package', { timeout: 120_000 }, async () => {
    requireBuild();
    const result = await run('sh', 'npx smsgate --help', {});
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/^Usage: smsgate /m);
  });

  for (const block of blocks) {
    it(`${block.file}:${block.line} (${block.lang}${block.mode === 'gateway' ? ', beside a gateway' : ''}) exits 0`, async () => {
      requireBuild();
      const result = await runBlock(block);
      expect(result.code, result.output).toBe(0);
      let rest = result.output;
      for (const answer of promisedAnswers(block.code)) {
        const found = answer.exec(rest);
        expect(found, `no answer like ${answer.source} in what is left of:\n${result.output}`).not.toBeNull();
        rest = rest.slice(found!.index + found![0].length);
      }
    });
  }
});
