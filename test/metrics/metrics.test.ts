import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/metrics/metrics.js';
import { mergedExposition } from '../../src/metrics/merge.js';
import { trafficTotals } from '../../src/metrics/traffic-totals.js';
import type { StatusTransition } from '../../src/domain/status-transition.js';
import type { BindState } from '../../src/carrier/smpp/bind-state.js';
import { parseExposition, valueOf } from '../support/metrics.js';

function transition(to: StatusTransition['to'], acceptedAt: number, at: number, from: StatusTransition['from'] = 'queuing'): StatusTransition {
  return { smsUid: uuidv7({ msecs: acceptedAt }), clientId: 'c1', from, to, errorCode: '0', at };
}

async function samplesOf(...metrics: Metrics[]) {
  const { text } = await mergedExposition(await Promise.all(metrics.map((m) => m.json())));
  return { text, samples: parseExposition(text) };
}

describe('Metrics', () => {
  it('keeps its own registry: two gateways in one process count apart', async () => {
    const a = new Metrics({ processMetrics: false });
    const b = new Metrics({ processMetrics: false });
    a.sendAccepted(0.002);
    expect(valueOf((await samplesOf(a)).samples, 'smsgate_sends_accepted_total')).toBe(1);
    expect(valueOf((await samplesOf(b)).samples, 'smsgate_sends_accepted_total')).toBe(0);
  });

  it('counts sends accepted with their latency, and rejections by error code', async () => {
    const metrics = new Metrics({ processMetrics: false });
    metrics.sendAccepted(0.002);
    metrics.sendAccepted(0.3);
    metrics.sendRejected('AUTH_FAILED');
    metrics.sendRejected('AUTH_FAILED');
    metrics.sendRejected('INVALID_PHONE_NUMBER');
    const { samples } = await samplesOf(metrics);
    expect(valueOf(samples, 'smsgate_sends_accepted_total')).toBe(2);
    expect(valueOf(samples, 'smsgate_send_accept_seconds_count')).toBe(2);
    expect(valueOf(samples, 'smsgate_send_accept_seconds_bucket', { le: '0.0025' })).toBe(1);
    expect(valueOf(samples, 'smsgate_sends_rejected_total', { reason: 'AUTH_FAILED' })).toBe(2);
    expect(valueOf(samples, 'smsgate_sends_rejected_total', { reason: 'INVALID_PHONE_NUMBER' })).toBe(1);
  });

  it('counts statuses and times accept-to-sent and accept-to-final from the sms_uid, with no id as a label', async () => {
    const metrics = new Metrics({ processMetrics: false });
    metrics.recordTransitions([transition('sent', 1_000, 1_400), transition('sent', 1_000, 3_000)]);
    metrics.recordTransitions([transition('delivered', 1_000, 2_000, 'sent'), transition('error_undeliverable', 1_000, 61_000, 'sent')]);
    const { text, samples } = await samplesOf(metrics);
    expect(valueOf(samples, 'smsgate_message_statuses_total', { status: 'sent' })).toBe(2);
    expect(valueOf(samples, 'smsgate_message_statuses_total', { status: 'delivered' })).toBe(1);
    expect(valueOf(samples, 'smsgate_message_statuses_total', { status: 'error_expired' })).toBe(0);
    expect(valueOf(samples, 'smsgate_message_sent_seconds_bucket', { le: '0.5' })).toBe(1);
    expect(valueOf(samples, 'smsgate_message_sent_seconds_sum')).toBeCloseTo(2.4);
    expect(valueOf(samples, 'smsgate_message_final_seconds_count', { status: 'delivered' })).toBe(1);
    expect(valueOf(samples, 'smsgate_message_final_seconds_sum', { status: 'error_undeliverable' })).toBeCloseTo(60);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it('counts submit answers and receipts per connection, and commits per writer', async () => {
    const metrics = new Metrics({ processMetrics: false });
    metrics.carrierObserver.submitAnswered('smsc-a', 'ok');
    metrics.carrierObserver.submitAnswered('smsc-a', 'throttled');
    metrics.carrierObserver.submitAnswered('smsc-b', 'ok');
    metrics.carrierObserver.receipt('smsc-a');
    metrics.onCommit('combined', 40, 0.004);
    metrics.onCommit('sends', 3, 0.001);
    const { samples } = await samplesOf(metrics);
    expect(valueOf(samples, 'smsgate_smpp_submits_total', { connection: 'smsc-a', outcome: 'ok' })).toBe(1);
    expect(valueOf(samples, 'smsgate_smpp_submits_total', { connection: 'smsc-a', outcome: 'throttled' })).toBe(1);
    expect(valueOf(samples, 'smsgate_smpp_submits_total', { outcome: 'ok' })).toBe(2);
    expect(valueOf(samples, 'smsgate_smpp_receipts_total', { connection: 'smsc-a' })).toBe(1);
    expect(valueOf(samples, 'smsgate_store_commit_batch_size_sum', { writer: 'combined' })).toBe(40);
    expect(valueOf(samples, 'smsgate_store_commit_seconds_count', { writer: 'sends' })).toBe(1);
  });

  it('reads the queue, the binds and the callback backlog at each scrape', async () => {
    const metrics = new Metrics({ processMetrics: false });
    let queuing = 5;
    metrics.watchQueue(async () => ({ queuing, sent: 2 }));
    const bind = (connection: string, status: BindState['status']): BindState => ({ connection, bind: 'transceiver-0', host: 'h', port: 1, status, since: 0 });
    metrics.watchCarrier({
      bindStates: () => [bind('a', 'bound'), bind('a', 'refused'), bind('b', 'connecting')],
      windows: () => [{ connection: 'a', inUse: 7, size: 10 }, { connection: 'b', inUse: 0, size: 0 }],
    });
    metrics.watchCallbackBacklog(async () => 12);
    let { samples } = await samplesOf(metrics);
    expect(valueOf(samples, 'smsgate_queue_depth', { status: 'queuing' })).toBe(5);
    expect(valueOf(samples, 'smsgate_queue_depth', { status: 'sent' })).toBe(2);
    expect(valueOf(samples, 'smsgate_smpp_binds_up', { connection: 'a' })).toBe(1);
    expect(valueOf(samples, 'smsgate_smpp_binds_up', { connection: 'b' })).toBe(0);
    expect(samples.some((s) => s.name === 'smsgate_smpp_binds_up' && s.labels.connection === 'b')).toBe(true);
    expect(valueOf(samples, 'smsgate_smpp_binds_open', { connection: 'a' })).toBe(2);
    expect(valueOf(samples, 'smsgate_smpp_window_in_use', { connection: 'a' })).toBe(7);
    expect(valueOf(samples, 'smsgate_smpp_window_size', { connection: 'a' })).toBe(10);
    expect(valueOf(samples, 'smsgate_callbacks_backlog')).toBe(12);
    queuing = 9;
    ({ samples } = await samplesOf(metrics));
    expect(valueOf(samples, 'smsgate_queue_depth', { status: 'queuing' })).toBe(9);
  });

  it('a store that does not answer leaves the queue out of the scrape instead of failing it', async () => {
    const metrics = new Metrics({ processMetrics: false });
    metrics.watchQueue(() => Promise.reject(new Error('database is away')));
    metrics.sendAccepted(0.001);
    const { samples } = await samplesOf(metrics);
    expect(samples.some((s) => s.name === 'smsgate_queue_depth')).toBe(false);
    expect(valueOf(samples, 'smsgate_sends_accepted_total')).toBe(1);
  });

  it("adds the dispatch thread's registry to the main thread's: one exposition, nothing counted twice", async () => {
    const main = new Metrics();
    const thread = new Metrics({ processMetrics: false });
    main.sendAccepted(0.001);
    main.watchQueue(async () => ({ queuing: 3, sent: 1 }));
    thread.recordTransitions([transition('sent', 1_000, 1_100)]);
    thread.carrierObserver.submitAnswered('sim', 'ok');
    const { text, samples } = await samplesOf(main, thread);
    expect(valueOf(samples, 'smsgate_sends_accepted_total')).toBe(1);
    expect(valueOf(samples, 'smsgate_message_statuses_total', { status: 'sent' })).toBe(1);
    expect(valueOf(samples, 'smsgate_smpp_submits_total', { connection: 'sim' })).toBe(1);
    expect(valueOf(samples, 'smsgate_queue_depth', { status: 'queuing' })).toBe(3);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(trafficTotals([await main.json(), await thread.json()])).toEqual({ accepted: 1, delivered: 0, errors: 0, queuing: 3, sentAwaitingReceipt: 1 });
  });
});
