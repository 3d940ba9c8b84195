import type { Template } from '../domain/template.js';
import type { MessageRecord } from '../store/message-store.js';
import type { MessageCallbackEvent } from '../store/callback-outbox.js';
import type { ClientSummary, TemplatePreview } from './catalog-service.js';
import type { MessageDetail, Stats } from './message-lookup-service.js';
import type { LiveSnapshot } from './live-service.js';
import { errorsOf } from '../metrics/traffic-totals.js';

/**
 * The JSON an operator reads, the same from the admin API and from the CLI's --json: snake_case
 * fields as in the seed's API, times as ISO 8601 (UTC).
 */
export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function clientView(client: ClientSummary) {
  return {
    client_id: client.clientId,
    enabled: client.enabled,
    created_at: isoTime(client.createdAt),
    callback_url: client.callbackUrl,
    events: client.events,
  };
}

export function templateView(template: Template) {
  return { templet_id: template.templetId, text: template.body, client_id: template.clientId };
}

export function previewView(preview: TemplatePreview) {
  return { text: preview.text, encoding: preview.encoding, characters: preview.characters, parts: preview.parts };
}

export function messageView(m: MessageRecord) {
  return {
    sms_uid: m.smsUid,
    client_id: m.clientId,
    templet_id: m.templetId,
    phone_number: m.phoneNumber,
    text: m.text,
    status: m.status,
    error_code: m.errorCode,
    part_count: m.partCount,
    attempts: m.attempts,
    queued_at: isoTime(m.createdAt),
    sent_at: isoTime(m.sentAt),
    done_at: isoTime(m.doneAt),
  };
}

export function messageDetailView(detail: MessageDetail) {
  return {
    ...messageView(detail.message),
    history: detail.history.map((change) => ({ status: change.status, at: isoTime(change.at)! })),
    parts: detail.parts.map((part) => ({
      part_no: part.partNo,
      carrier_message_id: part.carrierMessageId,
      status: part.status,
      error_code: part.errorCode,
      connection: part.connection,
    })),
    callbacks: detail.callbacks.map((event) => ({
      event_id: event.eventId,
      status: event.status,
      sequence: event.sequence,
      state: callbackState(event),
      attempts: event.attempts,
      last_error: event.lastError,
      next_attempt_at: isoTime(event.nextAttemptAt),
      died_at: isoTime(event.diedAt),
      delivered_at: isoTime(event.acknowledgedAt),
    })),
  };
}

function callbackState(event: MessageCallbackEvent): 'delivered' | 'owed' | 'dead' {
  if (event.acknowledgedAt !== null) return 'delivered';
  return event.diedAt === null ? 'owed' : 'dead';
}

export function statsView(stats: Stats) {
  return {
    window: stats.window,
    accepted: stats.accepted,
    sent: stats.sent,
    delivered: stats.delivered,
    errors: stats.errors,
    queue_depth: { queuing: stats.queueDepth.queuing, sent: stats.queueDepth.sent },
  };
}

export function liveView(live: LiveSnapshot) {
  const { counters } = live;
  return {
    at: isoTime(live.at)!,
    metrics_enabled: live.metricsEnabled,
    accepted_total: counters.accepted,
    rejected_total: counters.rejected,
    delivered_total: counters.statuses.delivered,
    errors_total: errorsOf(counters.statuses),
    statuses_total: counters.statuses,
    accept_latency_seconds: { buckets: counters.acceptLatency.buckets.map(({ le, count }) => ({ le, count })), count: counters.acceptLatency.count, sum: counters.acceptLatency.sum },
    queue: { queuing: live.queue.queuing, awaiting_receipt: live.queue.sent },
    binds: live.binds.map((state) => ({
      connection: state.connection,
      bind: state.bind,
      status: state.status,
      up: state.status === 'bound',
      since: isoTime(state.since),
      reason: state.reason ?? null,
    })),
    recent_errors: live.recentErrors.map((error) =>
      error.kind === 'bind'
        ? { at: isoTime(error.at)!, kind: error.kind, connection: error.connection, detail: error.detail }
        : { at: isoTime(error.at)!, kind: error.kind, sms_uid: error.smsUid, client_id: error.clientId, status: error.status, detail: error.detail },
    ),
  };
}
