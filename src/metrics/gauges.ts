import { Gauge, type Registry } from 'prom-client';
import type { WindowUse } from '../carrier/carrier-observer.js';
import type { BindState } from '../carrier/smpp/bind-state.js';
import type { QueueDepth } from '../store/message-lookup-store.js';

export type QueueSource = () => Promise<QueueDepth>;

/** What the SMPP carrier shows of its binds. */
export interface CarrierWindows {
  bindStates(): BindState[];
  windows(): WindowUse[];
}

/**
 * smsgate_queue_depth{status}: two counts from the store at each scrape, nothing kept in between.
 * A store that does not answer leaves the series out of that scrape rather than failing it.
 */
export function watchQueue(registry: Registry, depth: QueueSource): void {
  new Gauge({
    name: 'smsgate_queue_depth',
    help: 'messages queuing, and sent without their final receipt, now',
    labelNames: ['status'],
    registers: [registry],
    // Every process of a gateway reads the same store: merged, the depth is one reading, not a sum.
    aggregator: 'max',
    async collect() {
      this.reset();
      const counts = await depth().catch(() => undefined);
      if (!counts) return;
      this.labels('queuing').set(counts.queuing);
      this.labels('sent').set(counts.sent);
    },
  });
}

/** Binds up and open, and window in use and size, per connection, read at each scrape. */
export function watchCarrier(registry: Registry, carrier: CarrierWindows): void {
  const registers = [registry];
  new Gauge({
    name: 'smsgate_smpp_binds_up',
    help: 'binds bound now, by connection',
    labelNames: ['connection'],
    registers,
    collect() {
      this.reset();
      for (const state of carrier.bindStates()) this.labels(state.connection).inc(state.status === 'bound' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'smsgate_smpp_binds_open',
    help: 'binds this process keeps open (bound, connecting or refused), by connection',
    labelNames: ['connection'],
    registers,
    collect() {
      this.reset();
      for (const state of carrier.bindStates()) if (state.status !== 'stopped') this.labels(state.connection).inc();
    },
  });
  new Gauge({
    name: 'smsgate_smpp_window_in_use',
    help: 'submits given to bound binds and not answered yet, by connection',
    labelNames: ['connection'],
    registers,
    collect() {
      this.reset();
      for (const use of carrier.windows()) this.labels(use.connection).set(use.inUse);
    },
  });
  new Gauge({
    name: 'smsgate_smpp_window_size',
    help: 'the window of the bound binds together, by connection',
    labelNames: ['connection'],
    registers,
    collect() {
      this.reset();
      for (const use of carrier.windows()) this.labels(use.connection).set(use.size);
    },
  });
}
