import { Agent, request } from 'node:http';

/** A request body the load sends, and whether it is a send or a query. */
export interface PacedRequest {
  readonly path: string;
  readonly body: string;
  readonly kind: 'send' | 'query';
}

export interface KindCounts {
  ok: number;
  /** Answers other than 200, by status. */
  readonly statuses: Map<number, number>;
  socketErrors: number;
  /** Latencies (ms) of this window's answers, for its p99. */
  readonly latencies: number[];
}

/** What the load did since the last `take()`. */
export interface LoadWindow {
  readonly send: KindCounts;
  readonly query: KindCounts;
  /** Requests not sent because `maxInFlight` were already waiting: the gateway fell behind. */
  skipped: number;
}

export interface PacedLoadOptions {
  readonly port: number;
  /** Requests per second, sends and queries together. */
  readonly ratePerS: number;
  /** Most requests waiting for an answer at once (also the keep-alive socket count). */
  readonly maxInFlight: number;
  /** Builds the next request; `onAnswer` gets its status and body text. */
  readonly next: () => PacedRequest;
  readonly onAnswer: (req: PacedRequest, status: number, body: string) => void;
}

function freshCounts(): KindCounts {
  return { ok: 0, statuses: new Map(), socketErrors: 0, latencies: [] };
}
function freshWindow(): LoadWindow {
  return { send: freshCounts(), query: freshCounts(), skipped: 0 };
}

const TICK_MS = 10;

/**
 * An open-loop load at a fixed rate over keep-alive connections: every 10 ms it starts the
 * requests due since the start, so a slow answer does not slow the rate (as a closed loop would)
 * until `maxInFlight` are waiting; then what is due is counted as skipped, not queued.
 */
export class PacedLoad {
  private readonly agent: Agent;
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = performance.now();
  private started = 0;
  private inFlight = 0;
  private window = freshWindow();
  private idle: (() => void) | undefined;

  constructor(private readonly options: PacedLoadOptions) {
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxInFlight });
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** The counts since the previous call. */
  take(): LoadWindow {
    const window = this.window;
    this.window = freshWindow();
    return window;
  }

  /** Stops starting requests and waits for those in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (this.inFlight > 0) await new Promise<void>((done) => (this.idle = done));
    this.agent.destroy();
  }

  private tick(): void {
    const due = Math.floor(((performance.now() - this.startedAt) / 1000) * this.options.ratePerS);
    while (this.started < due) {
      this.started++;
      if (this.inFlight >= this.options.maxInFlight) this.window.skipped++;
      else this.fire(this.options.next());
    }
  }

  private fire(req: PacedRequest): void {
    this.inFlight++;
    const began = performance.now();
    const finish = (status: number | undefined, body: string): void => {
      const counts = this.window[req.kind];
      if (status === undefined) counts.socketErrors++;
      else {
        counts.latencies.push(performance.now() - began);
        if (status === 200) counts.ok++;
        else counts.statuses.set(status, (counts.statuses.get(status) ?? 0) + 1);
        this.options.onAnswer(req, status, body);
      }
      if (--this.inFlight === 0) this.idle?.();
    };
    const outgoing = request(
      {
        agent: this.agent,
        host: '127.0.0.1',
        port: this.options.port,
        method: 'POST',
        path: req.path,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(req.body) },
        timeout: 10_000,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => finish(response.statusCode, text));
        response.on('error', () => finish(undefined, ''));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.on('error', () => finish(undefined, ''));
    outgoing.end(req.body);
  }
}

/** The q-quantile (0..1) of unsorted values; 0 for none. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
