import type { BindState } from '../carrier/smpp/bind-state.js';
import { ERROR_STATUSES, type MessageStatus } from '../domain/message-status.js';
import { liveCounters, type LiveCounters } from '../metrics/live-counters.js';
import type { MetricsJson } from '../metrics/metrics.js';
import type { QueueDepth } from '../store/message-lookup-store.js';
import type { MessageLookupService } from './message-lookup-service.js';

/** How many of the latest errors a snapshot lists. */
export const RECENT_ERRORS = 20;

/** One thing that went wrong lately: a bind that is down, or a message that ended in error. */
export type RecentError =
  | { readonly at: number; readonly kind: 'bind'; readonly connection: string; readonly detail: string }
  | { readonly at: number; readonly kind: 'message'; readonly smsUid: string; readonly clientId: string; readonly status: MessageStatus; readonly detail: string };

/** What the console's live page shows, at one moment. */
export interface LiveSnapshot {
  readonly at: number;
  /** False with SMSGATE_METRICS=off: the counters are then all 0. */
  readonly metricsEnabled: boolean;
  readonly counters: LiveCounters;
  readonly queue: QueueDepth;
  readonly binds: readonly BindState[];
  readonly recentErrors: readonly RecentError[];
}

export interface LiveSources {
  /** Every metrics registry of this process; undefined when metrics are off. */
  readonly metrics: (() => Promise<MetricsJson[]>) | undefined;
  /** This process's binds ([] where it does not dispatch). */
  readonly binds: () => Promise<readonly BindState[]>;
  /** The queue now, from the store (the query /metrics and stats make). */
  readonly queueDepth: () => Promise<QueueDepth>;
  readonly lookups: Pick<MessageLookupService, 'find'>;
  readonly now?: () => number;
}

/**
 * A snapshot of what the gateway already keeps, made only when asked (the console polls it):
 * counters since start from the metrics, the queue from the store, binds from the carrier, and
 * the latest errors from the binds' state and the store's error index. Nothing is kept or counted
 * for it on the send path. A rate or a percentile is the caller's to make from two snapshots.
 */
export class LiveService {
  constructor(private readonly sources: LiveSources) {}

  async snapshot(): Promise<LiveSnapshot> {
    const { metrics, binds, queueDepth } = this.sources;
    const [parts, states, queue, failed] = await Promise.all([metrics?.() ?? [], binds(), queueDepth(), this.failedMessages()]);
    const at = (this.sources.now ?? Date.now)();
    const recentErrors = [...bindErrors(states), ...failed].sort((a, b) => b.at - a.at).slice(0, RECENT_ERRORS);
    return { at, metricsEnabled: metrics !== undefined, counters: liveCounters(parts), queue, binds: states, recentErrors };
  }

  /** The latest messages of each error status (each an index walk of RECENT_ERRORS rows). */
  private async failedMessages(): Promise<RecentError[]> {
    const pages = await Promise.all(ERROR_STATUSES.map((status) => this.sources.lookups.find({ status, limit: RECENT_ERRORS })));
    return pages.flatMap((page) =>
      page.messages.map((m) => ({
        at: m.doneAt ?? m.createdAt,
        kind: 'message' as const,
        smsUid: m.smsUid,
        clientId: m.clientId,
        status: m.status,
        detail: m.errorCode !== '' && m.errorCode !== '0' ? `${m.status}, error code ${m.errorCode}` : m.status,
      })),
    );
  }
}

/** Binds the SMSC refused, or that lost their session and are reconnecting. */
function bindErrors(states: readonly BindState[]): RecentError[] {
  return states
    .filter((state) => state.status === 'refused' || (state.status === 'connecting' && state.reason !== undefined))
    .map((state) => ({ at: state.since, kind: 'bind' as const, connection: state.connection, detail: `${state.bind} ${state.status}: ${state.reason ?? 'no reason given'}` }));
}
