import type { Worker } from 'node:cluster';
import type { MetricsJson } from '../metrics/metrics.js';
import type { Readiness } from '../services/readiness.js';
import type { RunningGateway } from './compose-gateway.js';

/**
 * What the primary of SMSGATE_HTTP_WORKERS asks its API workers over the cluster's IPC channel,
 * for the one admin listener it serves for the whole gateway: a scrape, a probe, a catalog change.
 */
export type FleetQuestion = 'metrics' | 'readiness' | 'refreshCatalog';

interface Ask {
  readonly smsgate: 'ask';
  readonly id: number;
  readonly question: FleetQuestion;
}
interface Answer {
  readonly smsgate: 'answer';
  readonly id: number;
  readonly value: unknown;
}

/** A worker's answers, as the primary collects them. */
export interface WorkerFleet {
  /** Each worker's registries (main thread); a worker that does not answer in time is left out. */
  metricsJson(): Promise<MetricsJson[]>;
  /** Each worker's readiness; undefined for one that did not answer in time. */
  readiness(): Promise<(Readiness | undefined)[]>;
  /** Makes every worker reload clients and templates now (an admin API change). */
  refreshCatalog(): Promise<void>;
}

/** How long the primary waits for a worker: a scrape or a probe must not hang on a stuck one. */
const ANSWER_MS = 2_000;

/** The primary's side: asks every live worker, in parallel. */
export function workerFleet(workers: () => readonly Worker[]): WorkerFleet {
  let nextId = 0;
  const pending = new Map<number, (value: unknown) => void>();
  const listening = new WeakSet<Worker>();
  const askOne = (worker: Worker, question: FleetQuestion): Promise<unknown> =>
    new Promise((resolve) => {
      if (!listening.has(worker)) {
        listening.add(worker);
        worker.on('message', (message: Answer) => {
          if (message?.smsgate !== 'answer') return;
          pending.get(message.id)?.(message.value);
        });
      }
      const id = nextId++;
      const timer = setTimeout(() => done(undefined), ANSWER_MS);
      const done = (value: unknown): void => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(value);
      };
      pending.set(id, done);
      const ask: Ask = { smsgate: 'ask', id, question };
      // A worker that died since the listing answers nothing, as one that is stuck.
      if (!worker.isConnected() || !worker.send(ask)) done(undefined);
    });
  const askAll = (question: FleetQuestion) => Promise.all(workers().map((worker) => askOne(worker, question)));
  return {
    metricsJson: async () => (await askAll('metrics')).flatMap((parts) => (parts as MetricsJson[] | undefined) ?? []),
    readiness: async () => (await askAll('readiness')) as (Readiness | undefined)[],
    refreshCatalog: async () => {
      await askAll('refreshCatalog');
    },
  };
}

/** A worker's side: answers the primary's questions from its gateway. */
export function answerPrimary(gateway: RunningGateway): void {
  const answer = async (question: FleetQuestion): Promise<unknown> => {
    if (question === 'metrics') return (await gateway.metricsJson?.()) ?? [];
    if (question === 'readiness') return gateway.readiness();
    await gateway.refreshCatalog();
    return true;
  };
  process.on('message', (message: Ask) => {
    if (message?.smsgate !== 'ask') return;
    void answer(message.question).then(
      (value) => process.send?.({ smsgate: 'answer', id: message.id, value } satisfies Answer),
      () => process.send?.({ smsgate: 'answer', id: message.id, value: undefined } satisfies Answer),
    );
  });
}
