import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Context } from '../context.js';
import { url } from '../context.js';
import { combine } from '../load/quantiles.js';
import type { LoadResult, LoadSpec } from '../load/types.js';
import { phoneNumber } from '../load/types.js';
import { note, progress } from '../progress.js';
import { CLI, CLIENT_ID, TEMPLATE_TEXT, TEMPLET_ID, sleep, startGateway, startHelper, stopChild, probeSend } from '../proc.js';
import { byArea, selfTimes } from './profile.js';

/**
 * The scale-out path: (a) ONE `serve --role dispatcher` process draining a backlog of queued
 * messages from PostgreSQL to the SMPP simulator in its own process, deliveries/s and the
 * dispatcher's CPU per message; (b) ONE `serve --role api` process on PostgreSQL + Redis at 64
 * connections, accepted/s against the bare node:http ceiling. Medians of 3 runs (1 in --quick).
 * Runs in a database of its own (created, dropped at the end) and a Redis prefix of its own.
 * BENCH_POSTGRES_CPU_PROF=dir: also profile each dispatcher (node --cpu-prof) and print top lines.
 * BENCH_POSTGRES_CLI=path/dist/cli/main.js: run another build's gateway (a before/after comparison).
 */
const GATEWAY_CLI = process.env.BENCH_POSTGRES_CLI ?? CLI;
const PG_SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DLR_MS = 20;
const CONNECTIONS = 64;
/** Far in the future: the backlog is held under this lease until the dispatcher is up and idle. */
const HELD = 9_000_000_000_000_000;
const run = promisify(execFile);

const median = (values: readonly number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** utime + stime of a process (all its threads), in ms; clock ticks are 10 ms on Linux. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Read and write syscalls of a process so far (/proc/<pid>/io): round trips, whatever the load. */
function syscalls(pid: number): { reads: number; writes: number } {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}: (\\d+)`).exec(io)?.[1] ?? Number.NaN);
  return { reads: field('syscr'), writes: field('syscw') };
}

/** Transactions committed in this database so far (statistics lag by up to a second). */
async function commits(pool: pg.Pool): Promise<number> {
  const r = await pool.query<{ n: string }>('SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()');
  return Number(r.rows[0]!.n);
}

function withDatabase(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

interface Env {
  readonly databaseUrl: string;
  readonly env: Record<string, string>;
}

async function cli(env: Env, args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [GATEWAY_CLI, ...args], { env: { ...process.env, ...env.env, SMSGATE_LOG_LEVEL: 'warn' } });
  return stdout;
}

/** The dispatcher: no HTTP port, so it is up when `--json` prints its line. */
async function startDispatcher(env: Env, cpuProfDir: string | undefined): Promise<ChildProcess> {
  const nodeArgs = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  const child = spawn(process.execPath, [...nodeArgs, GATEWAY_CLI, 'serve', '--role', 'dispatcher', '--json'], {
    env: { ...process.env, ...env.env, SMSGATE_LOG_LEVEL: 'warn', SMSGATE_ADMIN_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let first = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (first.length < 2000) first += chunk.toString();
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  // Warnings and errors of the run are worth seeing: a figure from a failing dispatcher misleads.
  child.once('exit', () => {
    if (first.trim()) note(`postgres: the dispatcher said (first and last 2000 characters):\n${first.slice(0, 2000)}\n...\n${stderr.trim()}`);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dispatcher not up after 20 s\n${stderr}`)), 20_000);
    child.stdout.once('data', () => (clearTimeout(timer), resolve()));
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`dispatcher exited with code ${code}\n${stderr}`))));
  });
  return child;
}

async function fillBacklog(pool: pg.Pool, total: number): Promise<void> {
  await pool.query('TRUNCATE messages, message_parts, pending_receipts');
  const text = TEMPLATE_TEXT.replace('${code}', '123456');
  const createdAt = Date.now();
  for (let done = 0; done < total; ) {
    const n = Math.min(10_000, total - done);
    const uids = Array.from({ length: n }, () => randomUUID());
    await pool.query(
      `INSERT INTO messages (sms_uid, client_id, templet_id, phone_number, text, created_at, lease_until)
       SELECT u, $2, $3, p, $4, $5, $6 FROM unnest($1::uuid[], $7::text[]) AS t(u, p)`,
      [uids, CLIENT_ID, TEMPLET_ID, text, createdAt, HELD, uids.map((_, i) => phoneNumber(done + i))],
    );
    done += n;
    progress('postgres: backlog', done, total);
  }
  await pool.query('VACUUM ANALYZE messages');
}

interface DrainRun {
  readonly perS: number;
  readonly cpuUsPerMessage: number;
  /** Write and read syscalls of the dispatcher (SMPP and PostgreSQL sockets) per message. */
  readonly writesPerMessage: number;
  readonly readsPerMessage: number;
  /** PostgreSQL transactions per message, the bench's own few included. */
  readonly commitsPerMessage: number;
  readonly delivered: number;
  readonly spanS: number;
}

/** One run: a fresh dispatcher, idle, then the backlog released to it at once; until all are final. */
async function drainOnce(env: Env, pool: pg.Pool, total: number, cpuProfDir: string | undefined): Promise<DrainRun> {
  await fillBacklog(pool, total);
  const dispatcher = await startDispatcher(env, cpuProfDir);
  try {
    await sleep(1500); // binds up, start-up work done
    const cpuBefore = cpuMs(dispatcher.pid!);
    const ioBefore = syscalls(dispatcher.pid!);
    const commitsBefore = await commits(pool);
    const released = Date.now();
    await pool.query('UPDATE messages SET lease_until = NULL');
    const deadline = Date.now() + 60_000 + total * 2;
    let row = { final: 0, delivered: 0, last: 0 };
    while (Date.now() < deadline) {
      await sleep(100);
      const r = await pool.query<{ final: string; delivered: string; last: string | null }>(
        `SELECT count(*) FILTER (WHERE done_at IS NOT NULL) AS final, count(*) FILTER (WHERE status = 'delivered') AS delivered, max(done_at) AS last FROM messages`,
      );
      row = { final: Number(r.rows[0]!.final), delivered: Number(r.rows[0]!.delivered), last: Number(r.rows[0]!.last ?? 0) };
      progress('postgres: delivering', row.final, total);
      if (row.final >= total) break;
    }
    const cpu = cpuMs(dispatcher.pid!) - cpuBefore;
    const io = syscalls(dispatcher.pid!);
    if (row.final < total) note(`postgres: gave up waiting: ${row.final} of ${total} final`);
    await sleep(1100); // the statistics collector has the last commits
    const n = Math.max(1, row.final);
    const spanS = (row.last - released) / 1000;
    return {
      perS: row.delivered / spanS,
      cpuUsPerMessage: (cpu * 1000) / n,
      writesPerMessage: (io.writes - ioBefore.writes) / n,
      readsPerMessage: (io.reads - ioBefore.reads) / n,
      commitsPerMessage: ((await commits(pool)) - commitsBefore) / n,
      delivered: row.delivered,
      spanS,
    };
  } finally {
    await stopChild(dispatcher);
  }
}

function profileTop(dir: string): string[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const lines: string[] = [];
  for (const file of files) {
    const times = selfTimes(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Parameters<typeof selfTimes>[0]);
    lines.push(`${file}: top self times`);
    for (const t of times.slice(0, 25)) lines.push(`  ${t.percent.toFixed(1).padStart(5)}%  ${t.fn}  ${t.where}`);
    lines.push('  by area:');
    for (const [area, percent] of byArea(times).slice(0, 12)) lines.push(`  ${percent.toFixed(1).padStart(5)}%  ${area}`);
  }
  return lines;
}

async function dispatcherFigures(ctx: Context, env: Env, pool: pg.Pool, runs: number): Promise<void> {
  const total = Number(process.env.BENCH_POSTGRES_BACKLOG ?? (ctx.quick ? 10_000 : 60_000));
  const sim = await startHelper('sim-server.js', [], { BENCH_SIM_DLR_MS: String(DLR_MS) });
  const carriers = join(ctx.tmp, 'postgres-carriers.json');
  writeFileSync(carriers, JSON.stringify({
    connections: [{ name: 'bench-sim', host: '127.0.0.1', port: sim.port, system_id: 'smsgate', password: 'smsgate', window: 5000, max_submits_per_second: 0 }],
  }));
  const profDir = process.env.BENCH_POSTGRES_CPU_PROF;
  if (profDir) mkdirSync(profDir, { recursive: true });
  const results: DrainRun[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      results.push(await drainOnce({ ...env, env: { ...env.env, SMSGATE_CARRIERS: carriers } }, pool, total, profDir));
      const r = results.at(-1)!;
      note(
        `postgres: dispatcher run ${i + 1}/${runs}: ${Math.round(r.perS)} deliveries/s, ${r.cpuUsPerMessage.toFixed(0)} us CPU/message, per message ${r.writesPerMessage.toFixed(2)} write + ${r.readsPerMessage.toFixed(2)} read syscalls, ${r.commitsPerMessage.toFixed(3)} PostgreSQL transactions (${r.delivered}/${total} delivered in ${r.spanS.toFixed(1)} s)`,
      );
    }
  } finally {
    await stopChild(sim.child);
  }
  if (profDir) for (const line of profileTop(profDir)) note(line);
  const perS = median(results.map((r) => r.perS));
  const cpuUs = median(results.map((r) => r.cpuUsPerMessage));
  const all = results.every((r) => r.delivered === total);
  ctx.figures.push(
    {
      phase: 'postgres',
      figure: 'dispatcher deliveries/s (1 process)',
      value: perS,
      unit: '/s',
      target: '>= 10,000/s',
      met: perS >= 10_000 && all,
      note: `median of ${runs}: backlog of ${total} queued, SMSC in its own process, DLR ${DLR_MS} ms; runs ${results.map((r) => Math.round(r.perS)).join(', ')}`,
    },
    { phase: 'postgres', figure: 'dispatcher CPU per message', value: cpuUs, unit: 'us', note: `/proc utime+stime of the dispatcher process; runs ${results.map((r) => r.cpuUsPerMessage.toFixed(0)).join(', ')}` },
    {
      phase: 'postgres',
      figure: 'dispatcher syscalls per message',
      value: median(results.map((r) => r.writesPerMessage + r.readsPerMessage)),
      unit: '',
      note: `reads + writes (SMPP and PostgreSQL sockets), /proc/<pid>/io; ${median(results.map((r) => r.commitsPerMessage)).toFixed(3)} PostgreSQL transactions per message`,
    },
  );
  ctx.details.postgresDispatcher = { total, runs: results, perS, cpuUsPerMessage: cpuUs };
}

async function loadRun(ctx: Context, spec: (offset: number) => LoadSpec, offset: { n: number }, seconds: number): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  for (let i = 0; i < seconds; i++) {
    const s = spec(offset.n);
    offset.n += ctx.gen.numbersUsed(s);
    results.push(await ctx.gen.run(s));
  }
  return results;
}

async function apiFigures(ctx: Context, env: Env, runs: number): Promise<void> {
  const passcode = (JSON.parse(await cli(env, ['client', 'add', CLIENT_ID, '--json'])) as { passcode: string }).passcode;
  await cli(env, ['template', 'add', TEMPLET_ID, '--text', TEMPLATE_TEXT, '--json']);
  const seconds = ctx.quick ? 2 : 5;
  const spec = (port: number, code: string) => (numberOffset: number): LoadSpec => ({
    url: url(port, 'sendsms'), connections: CONNECTIONS, durationS: 1, body: { kind: 'send', clientId: CLIENT_ID, passcode: code, templetId: TEMPLET_ID, numberOffset },
  });
  const known = (ctx.details.throughput as { ceiling?: { okPerS: number } } | undefined)?.ceiling?.okPerS;
  let ceiling = known;
  if (ceiling === undefined) {
    const server = await startHelper('ceiling-server.js');
    try {
      const offset = { n: 0 };
      await loadRun(ctx, spec(server.port, 'x'), offset, 1);
      ceiling = combine(await loadRun(ctx, spec(server.port, 'x'), offset, seconds)).okPerS;
    } finally {
      await stopChild(server.child);
    }
  }
  const gateway = await startGateway({ dbPath: join(ctx.tmp, 'postgres-unused.db'), serveArgs: ['--role', 'api'], env: env.env });
  const rates: number[] = [];
  const p99s: number[] = [];
  try {
    await sleep(1200); // the catalog poll has seen the client
    await probeSend(gateway.port, passcode);
    const offset = { n: 0 };
    await loadRun(ctx, spec(gateway.port, passcode), offset, 1);
    for (let i = 0; i < runs; i++) {
      const r = combine(await loadRun(ctx, spec(gateway.port, passcode), offset, seconds));
      if (r.ok === 0) throw new Error(`no send accepted (${r.requests} answers, ${r.socketErrors} socket errors)`);
      rates.push(r.okPerS);
      p99s.push(r.p99);
      progress('postgres: api sends', i + 1, runs, `${Math.round(r.okPerS)} ok/s`);
    }
  } finally {
    await gateway.stop();
  }
  const perS = median(rates);
  ctx.figures.push(
    { phase: 'postgres', figure: 'api accepted/s (1 process, PG + Redis)', value: perS, unit: '/s', note: `median of ${runs} x ${seconds} s at ${CONNECTIONS} connections; p99 ${median(p99s).toFixed(1)} ms; runs ${rates.map(Math.round).join(', ')}` },
    { phase: 'postgres', figure: 'api / ceiling', value: ceiling ? (perS / ceiling) * 100 : undefined, unit: '%', note: `ceiling ${Math.round(ceiling ?? 0)}/s (${known === undefined ? 'measured here' : 'from the sends phase'})` },
  );
  ctx.details.postgresApi = { rates, p99s, perS, ceiling };
}

export async function postgresPhase(ctx: Context): Promise<void> {
  const runs = ctx.quick ? 1 : 3;
  const name = `smsgate_bench_${process.pid}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const databaseUrl = withDatabase(PG_SERVER, name);
  const env: Env = {
    databaseUrl,
    env: { SMSGATE_DATABASE_URL: databaseUrl, SMSGATE_REDIS_URL: REDIS_URL, SMSGATE_REDIS_PREFIX: `${name}:`, SMSGATE_SEND_RATE: '1000000', SMSGATE_SIM_DLR_MS: String(DLR_MS) },
  };
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    await cli(env, ['migrate']);
    await dispatcherFigures(ctx, env, pool, runs);
    await apiFigures(ctx, env, runs);
  } finally {
    await pool.end();
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}
