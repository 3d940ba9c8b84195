import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, ROOT, childEnv, freePort, requireBuild } from '../support/cli.js';

/** One `smsgate serve --role ...` child process. */
export interface Member {
  readonly role: 'api' | 'dispatcher';
  readonly child: ChildProcess;
  /** For an API process. */
  readonly url: string | undefined;
  output(): string;
  readonly exited: Promise<void>;
}

/**
 * The real processes of a scale-out test. Every process it started is killed by killAll(), also
 * when a test failed half way, so no orphan keeps ports or database connections.
 */
export class Fleet {
  private readonly members: Member[] = [];

  constructor(private readonly env: Record<string, string>) {}

  /** Starts an API process and resolves once it answers HTTP (within `readyMs`). */
  async api(extraEnv: Record<string, string> = {}, readyMs = 15_000): Promise<Member> {
    const port = await freePort();
    const member = this.spawn('api', { ...extraEnv, SMSGATE_PORT: String(port) }, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + readyMs;
    let exited = false;
    void member.exited.then(() => (exited = true));
    for (;;) {
      if (exited) throw new Error(`api process exited early: ${member.output()}`);
      try {
        await fetch(`${member.url}/`, { signal: AbortSignal.timeout(500) });
        return member;
      } catch {
        if (Date.now() > deadline) throw new Error(`api process did not answer in ${readyMs} ms: ${member.output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** Starts a dispatcher; it has no port, so readiness is for the caller to observe. */
  dispatcher(extraEnv: Record<string, string> = {}): Member {
    return this.spawn('dispatcher', extraEnv, undefined);
  }

  async killAll(): Promise<void> {
    await Promise.all(
      this.members.map(async (m) => {
        if (m.child.exitCode === null && m.child.signalCode === null) m.child.kill('SIGKILL');
        await m.exited;
      }),
    );
  }

  private spawn(role: Member['role'], extraEnv: Record<string, string>, url: string | undefined): Member {
    requireBuild();
    const child = spawn(process.execPath, [CLI, 'serve', '--role', role], {
      env: childEnv({ SMSGATE_HOST: '127.0.0.1', ...this.env, ...extraEnv }),
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const member: Member = { role, child, url, output: () => out.slice(-4_000), exited };
    this.members.push(member);
    return member;
  }
}

/** POST a JSON body; answers the status and the parsed reply. */
export async function post(url: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  return { status: response.status, json: await response.json() };
}

/** Runs `work` over `items` with at most `concurrency` at once. */
export async function pool<T, R>(items: readonly T[], concurrency: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!, i);
      }
    }),
  );
  return results;
}

/** Polls `check` until true; answers how long it took, or throws after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<number> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - t0;
}
