import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { QUERY, SEND, cnMobile } from './api.js';
import { childEnv, CLI, ROOT, SERVE_START_TIMEOUT_MS } from './cli.js';

/** One answered (or failed) sendsms of a steady load. */
export interface SendOutcome {
  readonly number: string;
  /** ms since the load started, when the request was sent and when it was answered. */
  readonly sentAt: number;
  readonly answeredAt: number;
  /** HTTP status, or 0 when the connection failed. */
  readonly status: number;
  readonly retryAfter: string | null;
  readonly uid?: string;
  /** The parsed answer, to show what an unexpected status said. */
  readonly body?: unknown;
}

export interface SteadyLoad {
  readonly outcomes: SendOutcome[];
  /** When it started (epoch ms): what sentAt and answeredAt count from. */
  readonly startedAt: number;
  /** ms since the load started. */
  now(): number;
  /** Stops the loops and waits for the requests in flight. */
  stop(): Promise<void>;
}

/** The sendsms body of client `clientId` with template t1 (`code ${code}` in these tests) for a number. */
export function sendBody(clientId: string, passcode: string): (number: string) => object {
  return (number) => ({ client_id: clientId, passcode, phone_number: number, templet_id: 't1', contents: [{ p1: '1' }] });
}

/** Distinct valid CN mobile numbers under a 7-digit prefix, one per load index (10,000 of them). */
export function numbered(prefix: string): (i: number) => string {
  return (i) => cnMobile(i % 10_000, prefix);
}

/**
 * 100,000 numbers under a 6-digit prefix, for a test that counts submits per number: a fast host
 * sends more than 10,000 in a test's few seconds, and a number sent twice by the test itself
 * would count as a duplicate submit.
 */
export function numberedWide(prefix6: string): (i: number) => string {
  return (i) => `${prefix6}${String(i % 100_000).padStart(5, '0')}`;
}

/**
 * `loops` senders posting one sendsms after another (a steady load a fault lands in), each to
 * a number of its own from `numberFor`, recording every answer with when it came.
 */
export function steadyLoad(url: () => string, body: (number: string) => object, numberFor: (i: number) => string, loops = 8): SteadyLoad {
  const outcomes: SendOutcome[] = [];
  const started = Date.now();
  const now = (): number => Date.now() - started;
  let next = 0;
  let stopped = false;
  const runners = Array.from({ length: loops }, async () => {
    while (!stopped) {
      const number = numberFor(next++);
      const sentAt = now();
      try {
        const response = await fetch(`${url()}${SEND}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body(number)),
          signal: AbortSignal.timeout(15_000),
        });
        const json = (await response.json()) as { sms_uid?: string };
        const uid = response.status === 200 ? json.sms_uid : undefined;
        outcomes.push({ number, sentAt, answeredAt: now(), status: response.status, retryAfter: response.headers.get('retry-after'), uid, body: json });
        // A 503 says when to come back; a load that hammers meanwhile tells nothing more.
        if (response.status !== 200) await new Promise((r) => setTimeout(r, 20));
      } catch {
        outcomes.push({ number, sentAt, answeredAt: now(), status: 0, retryAfter: null });
        if (!stopped) await new Promise((r) => setTimeout(r, 20));
      }
    }
  });
  return {
    outcomes,
    startedAt: started,
    now,
    stop: async () => {
      stopped = true;
      await Promise.all(runners);
    },
  };
}

/** Counts of each status, e.g. { 200: 812, 503: 90 }. */
export function histogram(outcomes: readonly SendOutcome[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const o of outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
  return counts;
}

const isFinal = (status: string): boolean => status === 'delivered' || status.startsWith('error_');

/** Queries every uid until each has a final status or `timeoutMs` passes; returns uid -> last status. */
export async function finalStatuses(url: string, clientId: string, passcode: string, uids: readonly string[], timeoutMs: number): Promise<Map<string, string>> {
  const statuses = new Map(uids.map((uid) => [uid, 'not asked']));
  const pending = new Set(uids);
  const deadline = Date.now() + timeoutMs;
  // At least one round, so a zero timeout reads the statuses as they are.
  for (let round = 0; pending.size > 0 && (round === 0 || Date.now() < deadline); round++) {
    const batch = [...pending].slice(0, 100);
    await Promise.all(
      batch.map(async (uid) => {
        const response = await fetch(`${url}${QUERY}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ client_id: clientId, passcode, sms_uid: uid }),
        });
        const json = (await response.json()) as { status?: string };
        const status = response.status === 200 ? String(json.status) : `HTTP ${response.status}`;
        statuses.set(uid, status);
        if (isFinal(status)) pending.delete(uid);
      }),
    );
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 100));
  }
  return statuses;
}

/** The uids not at a final status within `timeoutMs`, with the status they were at. */
export async function notFinal(url: string, clientId: string, passcode: string, uids: readonly string[], timeoutMs: number): Promise<Map<string, string>> {
  const statuses = await finalStatuses(url, clientId, passcode, uids, timeoutMs);
  return new Map([...statuses].filter(([, status]) => !isFinal(status)));
}

/** Destinations the simulator logged more than one submit_sm for (its debug line), with the count. */
export function duplicateSubmits(logs: readonly string[]): Map<string, number> {
  const submits = new Map<string, number>();
  for (const log of logs) {
    for (const line of log.split('\n')) {
      if (!line.includes('"simulator submit_sm"')) continue;
      const destination = (JSON.parse(line) as { destination: string }).destination;
      submits.set(destination, (submits.get(destination) ?? 0) + 1);
    }
  }
  return new Map([...submits].filter(([, n]) => n > 1));
}

/** How many submit_sm the simulator logged in one log. */
export function submitCount(log: string): number {
  return log.split('\n').filter((line) => line.includes('"simulator submit_sm"')).length;
}

export interface SimulatorProcess {
  readonly child: ChildProcessWithoutNullStreams;
  log(): string;
  stop(signal: NodeJS.Signals): Promise<void>;
}

/** `smsgate simulator` as a process of its own, logging each submit_sm at debug. */
export async function startSimulatorProcess(port: number, journal: string): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, [CLI, 'simulator'], {
    env: childEnv({ SMSGATE_SIM_PORT: String(port), SMSGATE_SIM_DLR_MS: '50', SMSGATE_SIM_JOURNAL: journal, SMSGATE_LOG_LEVEL: 'debug' }),
    cwd: ROOT,
    detached: true,
  });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  child.stdout.on('data', () => {});
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + SERVE_START_TIMEOUT_MS;
  while (!log.includes('SMSC simulator listening')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`smsgate simulator did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    child,
    log: () => log,
    stop: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
