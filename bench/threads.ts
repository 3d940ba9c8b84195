import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { sleep } from './proc.js';

/**
 * Per-thread CPU of a process from outside, through /proc/<pid>/task/<tid>/stat (utime + stime,
 * in clock ticks). Linux only; elsewhere every read answers undefined and the stage table says so.
 */

/** Clock ticks per second (USER_HZ), for turning ticks into microseconds. */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
export const usPerTick = 1e6 / CLK_TCK;

/** The fields after the command name (which may hold spaces and parentheses). */
function statFields(path: string): string[] | undefined {
  try {
    const text = readFileSync(path, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** utime + stime (fields 14 and 15; index 11 and 12 after the name), and starttime (field 22). */
function cpuAndStart(path: string): { ticks: number; start: number } | undefined {
  const f = statFields(path);
  return f ? { ticks: Number(f[11]) + Number(f[12]), start: Number(f[19]) } : undefined;
}

/**
 * CPU of the whole process in ticks: /proc/<pid>/stat sums every thread, including the ones
 * that already ended, which a sum over today's task list would miss.
 */
export function processTicks(pid: number): number | undefined {
  return cpuAndStart(`/proc/${pid}/stat`)?.ticks;
}

export interface ThreadSample {
  readonly tid: number;
  readonly comm: string;
  readonly ticks: number;
  /** Clock ticks after boot at which the thread started. */
  readonly start: number;
}

export function threadSamples(pid: number): ThreadSample[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: ThreadSample[] = [];
  for (const t of tids) {
    const s = cpuAndStart(`/proc/${pid}/task/${t}/stat`);
    if (!s) continue; // ended between the listing and the read
    let comm = '';
    try {
      comm = readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').trim();
    } catch {
      // ended
    }
    out.push({ tid: Number(t), comm, ...s });
  }
  return out;
}

/** Node's default --v8-pool-size (the gateway is started without the flag). */
const V8_POOL_SIZE = 4;

export type ThreadRole = 'main' | 'dispatch' | 'v8' | 'libuv' | 'other';

/** The role of each thread, by tid; see classifyThreads. */
export type ThreadRoles = ReadonlyMap<number, ThreadRole>;

/** Whether a thread sleeps in epoll_wait, i.e. runs an event loop, by its wait channel. */
function waitsInEpoll(pid: number, tid: number): boolean {
  try {
    return /epoll/.test(readFileSync(`/proc/${pid}/task/${tid}/wchan`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Tells the threads of an idle gateway apart, from outside. Node 20 names every thread "node"
 * (later versions may name the V8 and libuv ones, which is used when present), so:
 * - main: tid == pid;
 * - dispatch: a worker thread runs an event loop of its own, so it sleeps in epoll_wait
 *   (/proc/.../wchan), as only the main thread and the V8 platform's delayed-task scheduler
 *   (started with the process) also do; the dispatch thread is the event-loop thread started
 *   last, well after the process. Several samples, since a busy thread shows no wait channel.
 * - v8: the V8 platform's threads, the first ones Node starts: its delayed-task scheduler and
 *   --v8-pool-size workers (4 by default), so the first 5 tids after the main thread;
 * - libuv: the others (the libuv pool, started on first use; Node's signal watchdog).
 * Ambiguity (no or several late event-loop threads) is reported, not guessed.
 */
export async function classifyThreads(pid: number, samples = 20): Promise<{ roles: ThreadRoles; warning?: string }> {
  const threads = threadSamples(pid);
  const loops = new Set<number>();
  for (let i = 0; i < samples; i++) {
    for (const t of threads) if (t.tid !== pid && waitsInEpoll(pid, t.tid)) loops.add(t.tid);
    await sleep(25);
  }
  const others = threads.filter((t) => t.tid !== pid);
  const firstStart = Math.min(...others.map((t) => t.start));
  const platform = new Set(others.map((t) => t.tid).sort((a, b) => a - b).slice(0, 1 + V8_POOL_SIZE));
  const lateLoops = others.filter((t) => loops.has(t.tid) && t.start > firstStart).sort((a, b) => b.start - a.start);
  const roles = new Map<number, ThreadRole>();
  let warning: string | undefined;
  if (lateLoops.length !== 1) warning = `${lateLoops.length} event-loop threads started after the process; the dispatch thread is taken to be the newest`;
  const dispatch = lateLoops[0]?.tid;
  for (const t of threads) {
    const role: ThreadRole =
      t.tid === pid ? 'main'
        : t.tid === dispatch ? 'dispatch'
          : /libuv/i.test(t.comm) ? 'libuv'
            : /v8|worker/i.test(t.comm) && t.comm !== 'node' ? 'v8'
              : platform.has(t.tid) ? 'v8'
                : 'libuv';
    roles.set(t.tid, role);
  }
  return { roles, warning };
}

export interface CpuSnapshot {
  readonly at: number;
  readonly total: number | undefined;
  readonly threads: readonly ThreadSample[];
}

export function snapshot(pid: number): CpuSnapshot {
  return { at: Date.now(), total: processTicks(pid), threads: threadSamples(pid) };
}

export type RoleCpu = Record<ThreadRole | 'total', number>;

/**
 * CPU microseconds spent between two snapshots, by role. A thread unknown to `roles` (started
 * later) counts as `other`; `total` is the whole process's, so it also holds threads that ended.
 */
export function cpuByRole(before: CpuSnapshot, after: CpuSnapshot, roles: ThreadRoles): RoleCpu {
  if (before.total === undefined || after.total === undefined) {
    return { main: Number.NaN, dispatch: Number.NaN, v8: Number.NaN, libuv: Number.NaN, other: Number.NaN, total: Number.NaN }; // no /proc: n/a
  }
  const out: RoleCpu = { main: 0, dispatch: 0, v8: 0, libuv: 0, other: 0, total: 0 };
  const earlier = new Map(before.threads.map((t) => [t.tid, t.ticks]));
  for (const t of after.threads) out[roles.get(t.tid) ?? 'other'] += (t.ticks - (earlier.get(t.tid) ?? 0)) * usPerTick;
  out.total = (after.total - before.total) * usPerTick;
  return out;
}
