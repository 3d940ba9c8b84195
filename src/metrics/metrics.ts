import { collectDefaultMetrics, Gauge, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { CarrierObserver, SubmitOutcome } from '../carrier/carrier-observer.js';
import type { ErrorCode } from '../domain/errors.js';
import { isFinalStatus, MESSAGE_STATUSES, type MessageStatus } from '../domain/message-status.js';
import type { StatusTransition } from '../domain/status-transition.js';
import { uuidV7Time } from '../domain/uuid-time.js';
import type { CommitObserver, CommitWriter } from '../store/commit-observer.js';
import { CounterSeries, HistogramSeries, LeanCounter, LeanHistogram } from './lean-metrics.js';
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
/** Counts events (not requests): a request of 100 events acknowledged is 100 sent. */
export interface CallbackObserver {
  sent(events: number): void;
  failed(events: number): void;
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
  private readonly accepted: CounterSeries;
  private readonly rejected: LeanCounter;
  private readonly capped: LeanCounter;
  private readonly acceptSeconds: HistogramSeries;
  private readonly statuses = new Map<MessageStatus, CounterSeries>();
  private readonly sentSeconds: HistogramSeries;
  private readonly finalSeconds = new Map<MessageStatus, HistogramSeries>();
  private readonly submits: LeanCounter;
  private readonly submitsBy = new Map<string, Map<SubmitOutcome, CounterSeries>>();
  private readonly receipts: LeanCounter;
  private readonly receiptsBy = new Map<string, CounterSeries>();
  private readonly commitSize: LeanHistogram;
  private readonly commitSeconds: LeanHistogram;
  /** Per writer, found on its first commit: later commits observe without a label lookup. */
  private readonly commits = new Map<CommitWriter, { readonly size: HistogramSeries; readonly seconds: HistogramSeries }>();
  private readonly callbacksSent: CounterSeries;
  private readonly callbacksFailed: CounterSeries;

  constructor(options: MetricsOptions = {}) {
    const registry = this.registry;
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
    this.accepted = new LeanCounter('smsgate_sends_accepted_total', 'sendsms requests answered 200 (the message is committed)', registry).series();
    this.rejected = new LeanCounter('smsgate_sends_rejected_total', 'sendsms requests refused, by error code', registry);
    this.capped = new LeanCounter('smsgate_country_cap_refusals_total', 'sends refused by a client\'s per-country cap (SMS pumping), by client and country', registry);
    this.acceptSeconds = new LeanHistogram('smsgate_send_accept_seconds', 'time to answer an accepted sendsms, commit included', SECONDS_FAST, registry).series();
    const statuses = new LeanCounter('smsgate_message_statuses_total', 'messages that reached each status', registry);
    this.sentSeconds = new LeanHistogram('smsgate_message_sent_seconds', 'time from accept to sent (the SMSC took it)', SECONDS_TO_SENT, registry).series();
    const finalSeconds = new LeanHistogram('smsgate_message_final_seconds', 'time from accept to the final status, by final status', SECONDS_TO_FINAL, registry);
    // Every status shows from the start, at 0: a rate over a series that appears late misses its first increase.
    for (const status of MESSAGE_STATUSES) {
      this.statuses.set(status, statuses.series({ status }));
      if (isFinalStatus(status)) this.finalSeconds.set(status, finalSeconds.series({ status }));
    }
    this.submits = new LeanCounter('smsgate_smpp_submits_total', 'submit_sm answers by connection and outcome (ok, rejected, throttled, timeout)', registry);
    this.receipts = new LeanCounter('smsgate_smpp_receipts_total', 'delivery receipts received, by connection', registry);
    this.commitSize = new LeanHistogram('smsgate_store_commit_batch_size', 'writes per committed transaction, by writer', BATCH_SIZES, registry);
    this.commitSeconds = new LeanHistogram('smsgate_store_commit_seconds', 'time to commit a transaction, by writer', SECONDS_FAST, registry);
    this.callbacksSent = new LeanCounter('smsgate_callbacks_sent_total', 'status callbacks the client endpoint accepted', registry).series();
    this.callbacksFailed = new LeanCounter('smsgate_callbacks_failed_total', 'status callback attempts that failed (retried later)', registry).series();
  }

  sendAccepted(seconds: number): void {
    this.accepted.inc();
    this.acceptSeconds.observe(seconds);
  }

  sendRejected(code: ErrorCode, refused?: { clientId: string; country: string }): void {
    this.rejected.series({ reason: code }).inc();
    // Labels bounded by the operator's clients and their countries with a cap: a pumping run shows as one series climbing.
    if (refused) this.capped.series({ client_id: refused.clientId, country: refused.country }).inc();
  }

  /** Counts the statuses reached, and for `sent` and final ones how long after the accept. */
  recordTransitions(transitions: readonly StatusTransition[]): void {
    for (const transition of transitions) {
      this.statuses.get(transition.to)?.inc();
      const acceptedAt = uuidV7Time(transition.smsUid);
      if (acceptedAt === undefined) continue;
      const seconds = Math.max(0, transition.at - acceptedAt) / 1000;
      if (transition.to === 'sent') this.sentSeconds.observe(seconds);
      else this.finalSeconds.get(transition.to)?.observe(seconds);
    }
  }

  readonly carrierObserver: CarrierObserver = {
    submitAnswered: (connection: string, outcome: SubmitOutcome) => {
      // Two lookups by strings the caller keeps (hashed once), rather than a key built per submit.
      let byOutcome = this.submitsBy.get(connection);
      if (!byOutcome) this.submitsBy.set(connection, (byOutcome = new Map<SubmitOutcome, CounterSeries>()));
      let series = byOutcome.get(outcome);
      if (!series) byOutcome.set(outcome, (series = this.submits.series({ connection, outcome })));
      series.inc();
    },
    receipt: (connection: string) => {
      let series = this.receiptsBy.get(connection);
      if (!series) this.receiptsBy.set(connection, (series = this.receipts.series({ connection })));
      series.inc();
    },
  };

  readonly onCommit: CommitObserver = (writer: CommitWriter, writes: number, seconds: number) => {
    let series = this.commits.get(writer);
    if (!series) this.commits.set(writer, (series = { size: this.commitSize.series({ writer }), seconds: this.commitSeconds.series({ writer }) }));
    series.size.observe(writes);
    series.seconds.observe(seconds);
  };

  /** For the callback sender: the events of a request answered 2xx (sent) or not (failed: tried again later or buried). */
  readonly callbacks: CallbackObserver = {
    sent: (events) => this.callbacksSent.inc(events),
    failed: (events) => this.callbacksFailed.inc(events),
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
      aggregator: 'max', // read from the store, which every process of a gateway shares
      async collect() {
        this.set(await count());
      },
    });
  }

  json(): Promise<MetricsJson> {
    return this.registry.getMetricsAsJSON();
  }
}
