import type { Logger } from 'pino';
import { assertCallbackTarget, publicOnlyLookup } from '../callbacks/callback-url-guard.js';
import { CallbackPoster } from '../callbacks/callback-poster.js';
import { CallbackSender } from '../callbacks/callback-sender.js';
import { CallbackTargets, type CallbackCatalog } from '../callbacks/callback-targets.js';
import type { Config } from '../config/config.js';
import { localLeaseOwner } from '../dispatch/lease-owner.js';
import type { StatusEvents } from '../dispatch/status-events.js';
import type { CallbackOutbox } from '../store/callback-outbox.js';

export interface CallbackPartOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly outbox: CallbackOutbox;
  readonly catalog: CallbackCatalog;
  /** The status changes of this process's dispatcher: new events to send without waiting for the poll. */
  readonly events: StatusEvents;
  /** Where the events sent and failed are counted; undefined when metrics are off. */
  readonly observer?: CallbackPartObserver;
}

type CallbackPartObserver = { sent(events: number): void; failed(events: number): void };

/**
 * The callback sender of a dispatching process. Started before the dispatcher, so it closes after
 * it; its close waits for requests in flight for a quarter of the shutdown timeout (the dispatcher
 * takes half), then cuts them: their events are due again at once, for the next process.
 */
export function startCallbacks({ config, logger, outbox, catalog, events, observer }: CallbackPartOptions): CallbackSender {
  const sender = new CallbackSender({
    outbox,
    targets: new CallbackTargets(catalog),
    poster: new CallbackPoster({
      connections: config.callbackConcurrency,
      timeoutMs: config.callbackTimeoutMs,
      lookup: config.callbackAllowPrivate ? undefined : publicOnlyLookup,
    }),
    checkTarget: (url) => assertCallbackTarget(url, config.callbackAllowPrivate),
    subscribe: (listener) => events.subscribe(listener),
    logger: logger.child({ component: 'callbacks' }),
    observer,
    owner: localLeaseOwner(),
    batchMax: config.callbackBatchMax,
    lingerMs: config.callbackLingerMs,
    timeoutMs: config.callbackTimeoutMs,
    maxAgeMs: config.callbackMaxAgeS * 1000,
    concurrency: config.callbackConcurrency,
    closeWaitMs: Math.floor(config.shutdownTimeoutMs / 4),
  });
  sender.start();
  return sender;
}
