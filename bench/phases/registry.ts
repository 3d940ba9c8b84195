import type { Context } from '../context.js';
import { callbacksPhase } from './callbacks.js';
import { endToEndPhase } from './end-to-end.js';
import { limitsPhase } from './limits.js';
import { metricsCostPhase } from './metrics-cost.js';
import { postgresPhase } from './postgres.js';
import { queryPhase } from './query.js';
import { storagePhase } from './storage.js';
import { throughputPhase } from './throughput.js';

/** A phase of `npm run bench`, chosen with --only=<name>. */
export interface Phase {
  readonly name: string;
  readonly run: (ctx: Context) => Promise<void>;
  /** Whether a run without --only includes it (a phase that needs a service may not). */
  readonly byDefault: boolean;
  /** One line for --help. */
  readonly about: string;
}

/**
 * Every phase, in the order they run. A new phase is one file in bench/phases/ exporting its
 * function, and one entry here.
 */
export const PHASES: readonly Phase[] = [
  { name: 'sends', run: throughputPhase, byDefault: true, about: 'accepted sends/s at 64 connections against the ceiling; committed before 200' },
  { name: 'metrics', run: metricsCostPhase, byDefault: true, about: 'gateway CPU per sendsms message with SMSGATE_METRICS on and off, interleaved rounds; ratio on/off (target: at most 3 % more)' },
  { name: 'e2e', run: endToEndPhase, byDefault: true, about: 'the stage table (CPU per message per thread, in c) and delivered/s, SMSC in its own process and built in' },
  { name: 'query', run: queryPhase, byDefault: true, about: 'querysms p99 at ~1,000/s while sends run' },
  { name: 'storage', run: storagePhase, byDefault: true, about: 'WAL bytes written and bytes stored per message; RSS on a full database' },
  { name: 'callbacks', run: callbacksPhase, byDefault: true, about: 'status callbacks delivered/s to a local receiver while sends run; sendsms accepted/s with callbacks on vs off' },
  { name: 'limits', run: limitsPhase, byDefault: true, about: 'accepted sends/s with three per-number windows, a client rate, a country list and cap and a 100,000-entry blocklist, against the seed rule alone (target: at most 10 % lower)' },
  { name: 'postgres', run: postgresPhase, byDefault: true, about: 'scale-out: one dispatcher draining a PostgreSQL backlog (deliveries/s, CPU/message); one API process on PostgreSQL + Redis' },
];
