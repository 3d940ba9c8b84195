import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { CarrierObserver, SubmitOutcome } from '../carrier/carrier-observer.js';
import type { ErrorCode } from '../domain/errors.js';
import { isFinalStatus, MESSAGE_STATUSES } from '../domain/message-status.js';
import type { StatusTransition } from '../domain/status-transition.js';
import { uuidV7Time } from '../domain/uuid-time.js';
import type { CommitObserver, CommitWriter } from '../store/commit-observer.js';
import { watchCarrier, watchQueue, type CarrierWindows, type QueueSource } from './gauges.js';

export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

export interface MetricsOptions {
  /**
   * The process's own metrics (CPU, memory, event loop, GC): once per process, so not in the
   * dispatch thread's registry, whose figures are added to the main thread's.
   */
  readonly processMetrics?: boolean;
}

/** What a callback sender reports, without importing a metrics library. */
export interface CallbackObserver {
  sent(): void;
  failed(): void;
}

const SECONDS_FAST = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const SECONDS_TO_SENT = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];
const SECONDS_TO_FINAL = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 21600, 86400, 172800];
const BATCH_SIZES = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

/**
 * The gateway's Prometheus metrics: one registry per gateway (never prom-client's global one),
 * handed to the parts that count. Labels take bounded values only: an error code, a status, a
 * configured connection name, a writer; never a message id or a number. On the send path the
 * cost is one counter increment and one histogram observation per request.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly accepted: Counter;
  private readonly rejected: Counter<'reason'>;
  private readonly acceptSeconds: Histogram;
  private readonly statuses: Counter<'status'>;
  private readonly sentSeconds: Histogram;
  private readonly finalSeconds: Histogram<'status'>;
  private readonly submits: Counter<'connection' | 'outcome'>;
  private readonly receipts: Counter<'connection'>;
  private readonly commitSize: Histogram<'writer'>;
  private readonly commitSeconds: Histogram<'writer'>;
  private readonly callbacksSent: Counter;
  private readonly callbacksFailed: Counter;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.accepted = new Counter({ name: 'smsgate_sends_accepted_total', help: 'sendsms requests answered 200 (the message is committed)', registers });
    this.rejected = new Counter({ name: 'smsgate_sends_rejected_total', help: 'sendsms requests refused, by error code', labelNames: ['reason'], registers });
    this.acceptSeconds = new Histogram({ name: 'smsgate_send_accept_seconds', help: 'time to answer an accepted sendsms, commit included', buckets: SECONDS_FAST, registers });
    this.statuses = new Counter({ name: 'smsgate_message_statuses_total', help: 'messages that reached each status', labelNames: ['status'], registers });
    this.sentSeconds = new Histogram({ name: 'smsgate_message_sent_seconds', help: 'time from accept to sent (the SMSC took it)', buckets: SECONDS_TO_SENT, registers });
    this.finalSeconds = new Histogram({
      name: 'smsgate_message_final_seconds',
      help: 'time from accept to the final status, by final status',
      labelNames: ['status'],
      buckets: SECONDS_TO_FINAL,
      registers,
    });
    this.submits = new Counter({ name: 'smsgate_smpp_submits_total', help: 'submit_sm answers by connection and outcome (ok, rejected, throttled, timeout)', labelNames: ['connection', 'outcome'], registers });
    this.receipts = new Counter({ name: 'smsgate_smpp_receipts_total', help: 'delivery receipts received, by connection', labelNames: ['connection'], registers });
    this.commitSize = new Histogram({ name: 'smsgate_store_commit_batch_size', help: 'writes per committed transaction, by writer', labelNames: ['writer'], buckets: BATCH_SIZES, registers });
    this.commitSeconds = new Histogram({ name: 'smsgate_store_commit_seconds', help: 'time to commit a transaction, by writer', labelNames: ['writer'], buckets: SECONDS_FAST, registers });
    this.callbacksSent = new Counter({ name: 'smsgate_callbacks_sent_total', help: 'status callbacks the client endpoint accepted', registers });
    this.callbacksFailed = new Counter({ name: 'smsgate_callbacks_failed_total', help: 'status callback attempts that failed (retried later)', registers });
    // Every status shows from the start, at 0: a rate over a series that appears late misses its first increase.
    for (const status of MESSAGE_STATUSES) this.statuses.labels(status);
  }

  sendAccepted(seconds: number): void {
    this.accepted.inc();
    this.acceptSeconds.observe(seconds);
  }

  sendRejected(code: ErrorCode): void {
    this.rejected.labels(code).inc();
  }

  /** Counts the statuses reached, and for `sent` and final ones how long after the accept. */
  recordTransitions(transitions: readonly StatusTransition[]): void {
    for (const transition of transitions) {
      this.statuses.labels(transition.to).inc();
      const acceptedAt = uuidV7Time(transition.smsUid);
      if (acceptedAt === undefined) continue;
      const seconds = Math.max(0, transition.at - acceptedAt) / 1000;
      if (transition.to === 'sent') this.sentSeconds.observe(seconds);
      else if (isFinalStatus(transition.to)) this.finalSeconds.labels(transition.to).observe(seconds);
    }
  }

  readonly carrierObserver: CarrierObserver = {
    submitAnswered: (connection: string, outcome: SubmitOutcome) => this.submits.labels(connection, outcome).inc(),
    receipt: (connection: string) => this.receipts.labels(connection).inc(),
  };

  readonly onCommit: CommitObserver = (writer: CommitWriter, writes: number, seconds: number) => {
    this.commitSize.labels(writer).observe(writes);
    this.commitSeconds.labels(writer).observe(seconds);
  };

  /** For the callback sender: metrics.callbacks.sent() after a 2xx, .failed() after any other outcome. */
  readonly callbacks: CallbackObserver = {
    sent: () => this.callbacksSent.inc(),
    failed: () => this.callbacksFailed.inc(),
  };

  /** Queue depth read from the store at each scrape (one process per store should, see docs/monitoring.md). */
  watchQueue(source: QueueSource): void {
    watchQueue(this.registry, source);
  }

  /** Binds up and window in use read from the carrier at each scrape. */
  watchCarrier(carrier: CarrierWindows): void {
    watchCarrier(this.registry, carrier);
  }

  /** The callbacks not delivered yet, read at each scrape (for the callback sender to call once). */
  watchCallbackBacklog(count: () => Promise<number>): void {
    new Gauge({
      name: 'smsgate_callbacks_backlog',
      help: 'status callbacks owed and not delivered yet',
      registers: [this.registry],
      async collect() {
        this.set(await count());
      },
    });
  }

  json(): Promise<MetricsJson> {
    return this.registry.getMetricsAsJSON();
  }
}
