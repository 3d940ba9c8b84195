import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { phoneNumber } from '../load/types.js';
import { CLIENT_ID, killChildren, setupCatalog, sleep, startGateway, TEMPLET_ID } from '../proc.js';
import { databaseBytes, mib, openFdsOf, rssOf, SummaryReader } from './gauges.js';
import { PacedLoad, quantile, type KindCounts, type PacedRequest } from './paced-load.js';
import { judgeRss, type Sample } from './verdict.js';

const USAGE = `npm run soak [-- options]
  --minutes N        how long the load runs (default 20)
  --rate N           requests per second, sends and queries together (default 2000)
  --query-share F    the share of them that are querysms (default 0.1)
  --in-flight N      most requests waiting at once (default 128)
  --keep             keep the temporary folder (database, gateway log)`;

interface Options {
  readonly minutes: number;
  readonly rate: number;
  readonly queryShare: number;
  readonly inFlight: number;
  readonly keep: boolean;
}

function parse(args: string[]): Options | undefined {
  if (args.includes('--help') || args.includes('-h')) return undefined;
  const values = new Map<string, string>();
  let keep = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--keep') keep = true;
    else if (/^--(minutes|rate|query-share|in-flight)(=|$)/.test(arg)) {
      const [name, inline] = arg.slice(2).split('=');
      const value = inline ?? args[++i];
      if (value === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      values.set(name!, value);
    } else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const value = Number(values.get(name) ?? fallback);
    if (!Number.isFinite(value) || value < min || value > max) throw new Error(`--${name} must be a number from ${min} to ${max}`);
    return value;
  };
  return {
    minutes: number('minutes', 20, 0.5, 24 * 60),
    rate: number('rate', 2000, 1, 100_000),
    queryShare: number('query-share', 0.1, 0, 0.9),
    inFlight: number('in-flight', 128, 1, 10_000),
    keep,
  };
}

const say = (line: string): boolean => process.stdout.write(`${line}\n`);

function statuses(counts: KindCounts): string {
  const other = [...counts.statuses].map(([status, n]) => `${status}x${n}`);
  if (counts.socketErrors > 0) other.push(`socket-errors x${counts.socketErrors}`);
  return other.length > 0 ? other.join(' ') : '-';
}

async function main(): Promise<number> {
  const options = parse(process.argv.slice(2));
  if (!options) {
    say(USAGE);
    return 0;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'smsgate-soak-'));
  const dbPath = join(tmp, 'soak.db');
  const passcode = await setupCatalog(dbPath);
  // Info level for the gateway's own once-a-minute "process summary" line; nothing is logged per request.
  const gateway = await startGateway({ dbPath, serveArgs: ['--json'], env: { SMSGATE_LOG_LEVEL: 'info', SMSGATE_PER_NUMBER_INTERVAL_S: '0' } });
  const summaries = new SummaryReader();
  gateway.child.stderr!.on('data', (chunk: Buffer) => summaries.feed(chunk.toString('utf8')));
  say(`soak: ${options.minutes} min at ${options.rate}/s (${Math.round(options.queryShare * 100)} % querysms), gateway pid ${gateway.pid} on port ${gateway.port}, db ${dbPath}`);

  // Recent accepted uids for the queries; a ring, so memory here stays flat too.
  const recent: string[] = [];
  let recentNext = 0;
  let sendIndex = 0;
  let queryIndex = 0;
  let acceptedTotal = 0;
  const next = (): PacedRequest => {
    if (recent.length > 0 && (queryIndex + sendIndex) * options.queryShare > queryIndex) {
      const uid = recent[(queryIndex++ * 7919) % recent.length]!;
      return { kind: 'query', path: '/api/sms/v1/querysms', body: JSON.stringify({ client_id: CLIENT_ID, passcode, sms_uid: uid }) };
    }
    const n = sendIndex++;
    const body = { client_id: CLIENT_ID, passcode, phone_number: phoneNumber(n), templet_id: TEMPLET_ID, contents: [{ p1: String(n % 1_000_000).padStart(6, '0') }] };
    return { kind: 'send', path: '/api/sms/v1/sendsms', body: JSON.stringify(body) };
  };
  const onAnswer = (req: PacedRequest, status: number, text: string): void => {
    if (req.kind !== 'send' || status !== 200) return;
    acceptedTotal++;
    const uid = (JSON.parse(text) as { sms_uid: string }).sms_uid;
    if (recent.length < 10_000) recent.push(uid);
    else recent[recentNext++ % recent.length] = uid;
  };

  const stopAll = (): void => {
    killChildren();
    process.exit(130);
  };
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);

  const load = new PacedLoad({ port: gateway.port, ratePerS: options.rate, maxInFlight: options.inFlight, next, onAnswer });
  const started = Date.now();
  const rss: Sample[] = [];
  say('min  sends/s  non-200 sends     queries/s  non-200 queries  send p99 ms  skipped  RSS MiB  heap MiB  loop p99 ms  handles  fds  db+wal MiB');
  const totalS = options.minutes * 60;
  let nextRow = 60;
  let windowStart = Date.now();
  for (;;) {
    await sleep(10_000 - ((Date.now() - started) % 10_000));
    const elapsedS = Math.round((Date.now() - started) / 1000);
    const bytes = rssOf(gateway.pid);
    if (gateway.child.exitCode !== null || gateway.child.signalCode !== null || bytes === undefined) {
      say(`the gateway stopped after ${elapsedS} s\n${summaries.warnings.join('\n')}`);
      await load.stop();
      return 1;
    }
    rss.push([elapsedS, bytes]);
    if (elapsedS >= Math.min(nextRow, totalS)) {
      // The gateway's own summary comes once a minute too, counted from its start: wait a little for this minute's.
      const seen = summaries.count;
      for (let waited = 0; summaries.count === seen && summaries.count < nextRow / 60 && waited < 5000; waited += 100) await sleep(100);
      const window = load.take();
      const seconds = (Date.now() - windowStart) / 1000;
      windowStart = Date.now();
      const s = summaries.latest;
      say(
        [
          (elapsedS % 60 === 0 ? String(elapsedS / 60) : (elapsedS / 60).toFixed(1)).padStart(3),
          (window.send.ok / seconds).toFixed(0).padStart(8),
          statuses(window.send).padEnd(17),
          (window.query.ok / seconds).toFixed(0).padStart(9),
          statuses(window.query).padEnd(16),
          quantile(window.send.latencies, 0.99).toFixed(1).padStart(11),
          String(window.skipped).padStart(8),
          mib(bytes).padStart(8),
          mib(s?.heapUsedBytes).padStart(9),
          String(s?.eventLoopDelayP99Ms ?? '?').padStart(12),
          String(s?.activeHandles ?? '?').padStart(8),
          String(openFdsOf(gateway.pid) ?? '?').padStart(4),
          mib(databaseBytes(dbPath)).padStart(11),
        ].join('  '),
      );
      nextRow += 60;
    }
    if (elapsedS >= totalS) break;
  }
  await load.stop();
  const lastStatuses = await recentStatuses(gateway.port, passcode, recent.slice(0, 500));
  await gateway.stop();

  // The first 2 minutes are warm-up (caches, JIT, the WAL growing to its checkpoint size);
  // a short trial run judges its second half instead.
  const warmUpS = Math.min(120, totalS / 2);
  const verdict = judgeRss(rss, warmUpS);
  say(`accepted ${acceptedTotal} sends in ${options.minutes} min; statuses of ${recent.slice(0, 500).length} recent ones 10 s after the load: ${JSON.stringify(lastStatuses)}`);
  if (summaries.warnings.length > 0) say(`gateway warnings (last ${summaries.warnings.length}):\n${summaries.warnings.join('\n')}`);
  if (!verdict) {
    say('verdict: too short to judge RSS (fewer than 3 readings after the warm-up)');
  } else {
    const pct = (f: number): string => `${(f * 100).toFixed(1)} %`;
    say(
      `verdict: RSS ${verdict.flat ? 'FLAT' : 'GROWING'}: trend ${pct(verdict.trend)} over ${verdict.samples} readings (every 10 s) after ${verdict.from} s ` +
        `(limit +10 %; largest/smallest ${pct(verdict.spread)})`,
    );
  }
  if (options.keep) say(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
  return verdict && !verdict.flat ? 1 : 0;
}

/** The statuses of `uids` once receipts had 10 s to come in, as counts, e.g. {"delivered":500}. */
async function recentStatuses(port: number, passcode: string, uids: readonly string[]): Promise<Record<string, number>> {
  await sleep(10_000);
  const counts: Record<string, number> = {};
  for (const uid of uids) {
    const response = await fetch(`http://127.0.0.1:${port}/api/sms/v1/querysms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: CLIENT_ID, passcode, sms_uid: uid }),
    });
    const json = (await response.json()) as { status?: string };
    const status = response.status === 200 ? String(json.status) : `HTTP ${response.status}`;
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`soak failed: ${error instanceof Error ? error.message : String(error)}\n`);
    killChildren();
    process.exit(1);
  },
);
