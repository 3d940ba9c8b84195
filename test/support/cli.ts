import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';

import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
export { freePort };

/**
 * The built CLI, run as a user runs it. `npm test` builds first (pretest); running vitest
 * directly needs `npm run build` before.
 */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(ROOT, 'dist/cli/main.js');

export function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" (npm test does it in pretest)`);
}

export const PASSCODE_SHAPE = /^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{5}$/;

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment for a child: only what it needs, so the developer's SMSGATE_* settings do not leak in. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('SMSGATE_')) base[key] = value;
  // A free admin port unless the test names one: the default 8081 is one port for every test.
  return { ...base, SMSGATE_ADMIN_PORT: '0', ...env };
}

export function runCli(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: childEnv(env), cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** Runs a command with --json and returns its one JSON object (failing if it printed anything else). */
export async function runJson(args: readonly string[], env: Record<string, string>, expectedCode = 0): Promise<any> {
  const result = await runCli([...args, '--json'], env);
  if (result.code !== expectedCode) {
    throw new Error(`smsgate ${args.join(' ')} --json exited ${result.code}, expected ${expectedCode}: ${result.stdout}${result.stderr}`);
  }
  const lines = result.stdout.trim().split('\n');
  if (lines.length !== 1) throw new Error(`expected one JSON line, got: ${result.stdout}`);
  return JSON.parse(lines[0]!);
}


export function tempDir(prefix = 'smsgate-cli-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ServeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  readonly port: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
  /** Waits until stdout matches. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** `smsgate serve` as a child process on a free port; resolves once it answers HTTP. */
/**
 * Every `serve` this test process started and that still runs. A test that times out while
 * startServe still waits never gets the process to stop it; it is killed when the test process
 * ends instead of running on detached (its own process group) for minutes.
 */
const liveServers = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveServers) child.kill('SIGKILL');
});

/**
 * How long a `serve` may take to answer its first request. It starts in 1 to 4 s on this 2-core
 * machine; in CI, beside another test file starting gateways of its own, a PostgreSQL start with
 * the dispatch thread (two module graphs to load) once took over 10 s, the old limit, and failed a
 * test that is about something else. A gateway that never starts still fails, just later.
 */
export const SERVE_START_TIMEOUT_MS = 25_000;

export async function startServe(
  env: Record<string, string>,
  options: { port?: number; cwd?: string; args?: readonly string[]; /** default SERVE_START_TIMEOUT_MS */ readyMs?: number } = {},
): Promise<ServeProcess> {
  requireBuild();
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [CLI, 'serve', ...(options.args ?? [])], {
    env: childEnv({ SMSGATE_HOST: '127.0.0.1', SMSGATE_PORT: String(port), SMSGATE_SIM_DLR_MS: '50', SMSGATE_LOG_LEVEL: 'info', ...env }),
    cwd: options.cwd ?? ROOT,
    // Its own process group: a Ctrl-C (or any signal) sent to the test runner's group is not
    // the server's to get; the tests signal it by pid.
    detached: true,
  });
  liveServers.add(child);
  child.on('exit', () => liveServers.delete(child));
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolvePromise) =>
    child.on('exit', (code, signal) => resolvePromise(code ?? signal ?? 'unknown')),
  );
  let done = false;
  void exited.then(() => (done = true));
  const url = `http://127.0.0.1:${port}`;
  const readyMs = options.readyMs ?? SERVE_START_TIMEOUT_MS;
  const deadline = Date.now() + readyMs;
  for (;;) {
    if (done) throw new Error(`smsgate serve exited early (${String(await exited)}): ${out}${err}`);
    try {
      await fetch(`${url}/`, { signal: AbortSignal.timeout(500) });
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`smsgate serve did not answer in ${readyMs / 1000} s: ${out}${err}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return {
    child,
    url,
    port,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitForStdout(pattern, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const match = out.match(pattern);
        if (match) return match;
        if (Date.now() > until || done) throw new Error(`stdout never matched ${pattern}: ${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop(signal = 'SIGTERM') {
      if (!done) child.kill(signal);
      return exited;
    },
  };
}

export async function postJson(url: string, body: unknown, contentType = 'application/json') {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json, headers: response.headers };
}

/** Polls `check` until it returns true; returns how long that took, or throws after `timeoutMs`. */
export async function within(timeoutMs: number, check: () => Promise<boolean>, what: string): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
