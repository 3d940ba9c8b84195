import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../test/support/free-port.js';
export { freePort };

const run = promisify(execFile);

/** The repository root (dist-bench/bench/proc.js -> ../..). */
export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const CLI = join(ROOT, 'dist/cli/main.js');
export const CLIENT_ID = 'bench_client';
export const TEMPLET_ID = 'bench_otp';
export const TEMPLATE_TEXT = 'Your verification code is ${code}. It is valid for 10 minutes. Never share it with anyone, not even us.';


/** A start-up takes seconds on a quiet machine and can take tens on a shared one under load. */
export async function waitForPort(port: number, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited with code ${child.exitCode} before listening on ${port}`);
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), done(true)));
      socket.once('error', () => done(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
}

/** Every child this run started, so that an interrupted run leaves none behind. */
const children = new Set<ChildProcess>();
function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Creates the bench client and template with the CLI; returns the passcode. */
export async function setupCatalog(dbPath: string): Promise<string> {
  const env = { ...process.env, SMSGATE_DB: dbPath, SMSGATE_LOG_LEVEL: 'warn' };
  const { stdout } = await run(process.execPath, [CLI, 'client', 'add', CLIENT_ID, '--json'], { env });
  const passcode = (JSON.parse(stdout) as { passcode: string }).passcode;
  await run(process.execPath, [CLI, 'template', 'add', TEMPLET_ID, '--text', TEMPLATE_TEXT, '--json'], { env });
  return passcode;
}

export interface Gateway {
  readonly port: number;
  readonly pid: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  readonly dbPath: string;
  readonly env?: Record<string, string>;
  /** Directory for `node --cpu-prof` output, if profiling. */
  readonly cpuProfDir?: string;
  /** Extra arguments after `serve` (e.g. --role api). */
  readonly serveArgs?: readonly string[];
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const port = await freePort();
  const nodeArgs = options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : [];
  const child = track(spawn(process.execPath, [...nodeArgs, CLI, 'serve', ...(options.serveArgs ?? [])], {
    env: {
      ...process.env,
      SMSGATE_DB: options.dbPath,
      SMSGATE_PORT: String(port),
      SMSGATE_ADMIN_PORT: '0',
      SMSGATE_HOST: '127.0.0.1',
      SMSGATE_LOG_LEVEL: 'warn',
      SMSGATE_SEND_RATE: '1000000',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  }));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    await waitForPort(port, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`, { cause: error });
  }
  return { port, pid: child.pid!, child, stop: () => stopChild(child) };
}

/** SIGTERM (graceful shutdown), SIGKILL after 30 s. */
export function stopChild(child: ChildProcess, graceMs = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => (clearTimeout(timer), done()));
    child.kill('SIGTERM');
  });
}

/** Resident set size of a process in bytes (VmRSS, or VmHWM: the peak), or undefined off Linux. */
export function rssBytes(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number | undefined {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** A bench helper script (ceiling-server, sim-server) as a child process that reports its port on IPC. */
export async function startHelper(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<{ port: number; child: ChildProcess }> {
  const child = track(spawn(process.execPath, [join(ROOT, 'dist-bench/bench', script), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  }));
  const port = await new Promise<number>((done, reject) => {
    child.once('message', (m: { port: number }) => done(m.port));
    child.once('exit', (code) => reject(new Error(`${script} exited with code ${code}`)));
  });
  return { port, child };
}

let probes = 0;
/** One send before a load run, so a gateway that answers only errors fails with its answer. */
export async function probeSend(port: number, passcode: string): Promise<void> {
  const body = { client_id: CLIENT_ID, passcode, phone_number: `+86139${String(probes++).padStart(8, '0')}`, templet_id: TEMPLET_ID, contents: [{ p1: '000000' }] };
  const res = await fetch(`http://127.0.0.1:${port}/api/sms/v1/sendsms`, { method: 'POST', body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`the gateway answered a test send with ${res.status} ${text.slice(0, 300)}`);
}
