import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort, requireBuild, runJson, startServe, tempDir, type ServeProcess } from '../support/cli.js';
import { describeIfService, type ServiceCheck } from '../support/services.js';
import { finalStatuses, histogram, numbered, sendBody, steadyLoad, type SendOutcome } from '../support/steady-load.js';

const tmp = tempDir('smsgate-redis-fault-');

/** A redis-server of the test's own: no persistence, so a restart starts empty, as after a crash. */
function startRedis(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), done(true)));
      socket.once('error', () => done(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const stopped = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));

/** Distinct valid CN numbers, one per send. */
const number = numbered('1380014');

/** The test runs a redis-server of its own, so it needs the binary, not a running service. */
function redisServerInstalled(): ServiceCheck {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return { name: 'redis-server', available: probe.status === 0, reason: probe.error?.message ?? probe.stderr };
}

describeIfService(redisServerInstalled(), 'Redis (the shared limits) dies and comes back under a steady sendsms load', () => {
  let redis: ChildProcess;
  let server: ServeProcess;
  let passcode = '';
  let outcomes: SendOutcome[] = [];
  let downAt = 0;
  let upAt = 0;

  beforeAll(async () => {
    requireBuild();
    const db = join(tmp.dir, 'redis.db');
    ({ passcode } = await runJson(['client', 'add', 'load'], { SMSGATE_DB: db }));
    await runJson(['template', 'add', 't1', '--text', 'code ${code}'], { SMSGATE_DB: db });
    const redisPort = await freePort();
    redis = startRedis(redisPort);
    await waitForPort(redisPort);
    server = await startServe({
      SMSGATE_DB: db,
      SMSGATE_REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      SMSGATE_REDIS_PREFIX: `reliability-${process.pid}-${Date.now()}:`,
      SMSGATE_PER_NUMBER_INTERVAL_S: '0',
    });
    const load = steadyLoad(() => server.url, sendBody('load', passcode), number);
    await new Promise((r) => setTimeout(r, 2000));
    redis.kill('SIGKILL');
    await stopped(redis);
    downAt = load.now();
    await new Promise((r) => setTimeout(r, 3000));
    redis = startRedis(redisPort);
    await waitForPort(redisPort);
    upAt = load.now();
    await new Promise((r) => setTimeout(r, 3000));
    await load.stop();
    outcomes = load.outcomes;
  }, 40_000);

  afterAll(async () => {
    await server?.stop('SIGKILL');
    redis?.kill('SIGKILL');
    tmp.cleanup();
  });

  it('answers only 200 or 503, and 503 carries Retry-After', () => {
    const counts = histogram(outcomes);
    expect(Object.keys(counts).sort(), JSON.stringify(counts)).toEqual(['200', '503']);
    expect(outcomes.filter((o) => o.status === 503 && !/^\d+$/.test(o.retryAfter ?? ''))).toEqual([]);
  });

  it('answers 503, never 200, while Redis is down, and nothing hangs', () => {
    // Sent a moment after the kill (the first requests may still have been answered by a live connection).
    const during = outcomes.filter((o) => o.sentAt > downAt + 200 && o.answeredAt < upAt);
    expect(during.length).toBeGreaterThan(20);
    expect(histogram(during)).toEqual({ 503: during.length });
    expect(Math.max(...outcomes.map((o) => o.answeredAt - o.sentAt))).toBeLessThan(2000);
  });

  it('accepts again within 10 s of Redis returning, without a restart', () => {
    const firstBack = outcomes.filter((o) => o.sentAt >= upAt && o.status === 200).sort((a, b) => a.answeredAt - b.answeredAt)[0];
    expect(firstBack, 'no 200 after Redis came back').toBeDefined();
    console.info(`Redis restart: ${JSON.stringify(histogram(outcomes))} over ${outcomes.length} sends, down ${upAt - downAt} ms, 200 again ${firstBack!.answeredAt - upAt} ms after it returned`);
    expect(firstBack!.answeredAt - upAt).toBeLessThan(10_000);
    expect(server.child.exitCode).toBeNull();
  });

  it('logs the outage once and the recovery once', () => {
    const log = server.stderr();
    expect(log.match(/is unavailable/g)?.length, log.slice(-2000)).toBe(1);
    expect(log.match(/is available again/g)?.length, log.slice(-2000)).toBe(1);
  });

  it('every 200 is stored and delivered', async () => {
    const uids = outcomes.filter((o) => o.status === 200).map((o) => o.uid!);
    expect(uids.length).toBeGreaterThan(50);
    const statuses = await finalStatuses(server.url, 'load', passcode, uids, 15_000);
    const notDelivered = [...statuses].filter(([, s]) => s !== 'delivered');
    expect(notDelivered.slice(0, 10), `${notDelivered.length} of ${uids.length} not delivered`).toEqual([]);
  });
});
