import { describe, expect, it } from 'vitest';
import { mergedExposition } from './merge.js';
import { Metrics } from './metrics.js';

/** The value of one sample line of an exposition, by its name and labels as written. */
const sample = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);

describe('mergedExposition over the processes of one gateway', () => {
  it('adds up the counters, and shows the queue depth every process reads from the shared store once', async () => {
    const processes = [new Metrics({ processMetrics: false }), new Metrics({ processMetrics: false }), new Metrics({ processMetrics: false })];
    processes.forEach((metrics, i) => {
      metrics.watchQueue(async () => ({ queuing: 7, sent: 3 }));
      metrics.watchCallbackBacklog(async () => 4);
      for (let n = 0; n <= i; n++) metrics.sendAccepted(0.001);
    });
    const { text } = await mergedExposition(await Promise.all(processes.map((m) => m.json())));
    expect(sample(text, 'smsgate_sends_accepted_total')).toBe(6);
    expect(sample(text, 'smsgate_queue_depth{status="queuing"}')).toBe(7);
    expect(sample(text, 'smsgate_queue_depth{status="sent"}')).toBe(3);
    expect(sample(text, 'smsgate_callbacks_backlog')).toBe(4);
  });
});
