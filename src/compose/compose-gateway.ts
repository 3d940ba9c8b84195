import type { Logger } from 'pino';
import { loadCarrierConfig, simulatorCarrierConfig, type CarrierConfig } from '../carrier/smpp/smpp-config.js';
import type { Config } from '../config/config.js';
import { dispatches, servesHttp, type Role } from '../config/roles.js';
import { openLimiter } from '../limits/open-limiter.js';
import { StatusEvents } from '../dispatch/status-events.js';
import type { Store } from '../store/store.js';
import { openStore } from '../store/open-store.js';
import { adminRouteGroups, type AdminContext } from './admin-groups.js';
import { mergedExposition } from '../metrics/merge.js';
import { startAdmin, type AdminPart } from './admin-part.js';
import { startApi, type ApiPart } from './api-part.js';
import { startCallbacks } from './callback-part.js';
import { startCarrier, startEmbeddedSimulator } from './carrier-part.js';
import type { SmppCarrier } from '../carrier/smpp/smpp-carrier.js';
import { startDispatch, type DispatchPart } from './dispatch-part.js';
import { startDispatchThread } from './dispatch-thread.js';
import { Lifecycle } from './lifecycle.js';
import type { BindState } from '../carrier/smpp/bind-state.js';
import { Metrics, type MetricsJson } from '../metrics/metrics.js';
import { checkReadiness, type Readiness } from '../services/readiness.js';
import { AdminTokenService } from '../services/admin-token-service.js';
import { ConsoleSessions } from '../services/console-sessions.js';
import type { Limiter } from '../domain/limits.js';

export interface RunningGateway {
  /** The HTTP port actually bound; undefined where this process serves no HTTP. */
  readonly port: number | undefined;
  /** The admin port actually bound; undefined where this process serves no admin listener. */
  readonly adminPort: number | undefined;
  /** Reloads clients and templates now instead of at the next poll. */
  refreshCatalog(): Promise<void>;
  /** Tells this gateway's dispatcher that sends were committed elsewhere. */
  notifyDispatcher(): void;
  /**
   * Every status change this process's dispatcher and housekeeper make, for listeners in this
   * process (callbacks, metrics); undefined where no dispatcher runs in this thread.
   */
  readonly statusEvents: StatusEvents | undefined;
  /** The binds of this process's dispatcher (in its thread, if it has one); [] where none runs. */
  bindStates(): Promise<BindState[]>;
  /** Store, Redis and binds: what /readyz answers. */
  readiness(): Promise<Readiness>;
  /**
   * Every registry of this process (the main thread's, and the dispatch thread's), for /metrics
   * and the summary line; undefined when metrics are off.
   */
  readonly metricsJson: (() => Promise<MetricsJson[]>) | undefined;
  /** The metrics this thread counts into (the callback sender reports there); undefined when off. */
  readonly metrics: Metrics | undefined;
  /** Stops accepting, finishes the commits under way, stops the dispatcher and binds, closes the store. */
  close(): Promise<void>;
}

export interface ComposeOptions {
  /** What this process does (default `all`). */
  readonly role?: Role;
  /**
   * A store the caller opened (and closes, after `close`): the dispatch thread's own connection,
   * or a test's. Without it the gateway opens the configured store. Given, the dispatcher runs
   * in this thread, since another thread cannot share this connection.
   */
  readonly store?: Store;
  /** SMSC connections already read and validated; without it, those of SMSGATE_CARRIERS. */
  readonly carriers?: CarrierConfig;
  /**
   * Serve the admin listener (default true). False where another part of the same process
   * serves it: the dispatch thread, the forked API workers of SMSGATE_HTTP_WORKERS.
   */
  readonly admin?: boolean;
  /**
   * Metrics a caller made (the dispatch thread's): counted into, but the queue depth and the
   * process metrics are the caller's to report. Without it the gateway makes its own, unless
   * SMSGATE_METRICS=off.
   */
  readonly metrics?: Metrics;
}

/**
 * The composition root: picks the topology (role x dispatch thread or in-process), starts each
 * part, and closes them in reverse order. Each part starts itself and closes exactly what it
 * opened. A dispatching process with no SMSGATE_CARRIERS also runs the built-in SMSC simulator and
 * delivers to it over SMPP: the embedded default takes the real path.
 */
export async function composeGateway(config: Config, logger: Logger, options: ComposeOptions = {}): Promise<RunningGateway> {
  const role = options.role ?? 'all';
  // Read before anything starts, so a bad file stops every topology with the same one line.
  const carriers = options.carriers ?? (dispatches(role) && config.carriersPath ? loadCarrierConfig(config.carriersPath) : undefined);
  // A thread opens the store anew: an in-memory SQLite database would be another, empty one.
  const storeSharable = config.databaseUrl !== undefined || config.dbPath !== ':memory:';
  const threaded = role === 'all' && config.dispatchThread && storeSharable && options.store === undefined;
  const lifecycle = new Lifecycle();
  return lifecycle.starting(() =>
    threaded
      ? composeWithDispatchThread(config, logger, carriers, lifecycle, options.admin ?? true)
      : composeInProcess(config, logger, role, carriers, options, lifecycle, options.admin ?? true),
  );
}

/** The API here, the dispatcher (with carrier and simulator) in a worker thread of its own. */
async function composeWithDispatchThread(
  config: Config,
  logger: Logger,
  carriers: CarrierConfig | undefined,
  lifecycle: Lifecycle,
  serveAdmin: boolean,
): Promise<RunningGateway> {
  const metrics = config.metrics ? new Metrics() : undefined;
  const store = lifecycle.own(await openStore(config, metrics?.onCommit));
  metrics?.watchQueue(() => store.queueDepth());
  metrics?.watchCallbackBacklog(async () => (await store.callbackBacklog()).owed);
  const thread = await startDispatchThread({ config, carriers }, logger);
  lifecycle.own({ close: () => thread.stop() });
  const limiter = lifecycle.own(await openLimiter(config, logger, store));
  // Over SQLite the thread commits the sends too (one writer) and wakes its dispatcher itself;
  // PostgreSQL takes many writers.
  const oneWriter = !config.databaseUrl;
  const api = lifecycle.own(
    await startApi({ config, logger, store, limiter, metrics, sink: oneWriter ? thread : store, onCommitted: oneWriter ? () => {} : () => thread.notify() }),
  );
  const observed: Observed = {
    bindStates: () => thread.bindStates(),
    readiness: () => checkReadiness({ store: () => store.catalogVersion(), redis: redisProbe(limiter), binds: () => thread.bindStates() }),
    metricsJson: metrics && (async () => [await metrics.json(), await thread.metricsJson()]),
    metrics,
  };
  const admin = serveAdmin
    ? lifecycle.own(
        await startAdminOf({
          config,
          logger,
          role: 'all',
          store,
          refreshCatalog: () => api.refreshCatalog(),
          statusEvents: undefined,
          publicPort: api.port,
          ...healthOf(observed),
        }),
      )
    : undefined;
  return { ...running(lifecycle, api, admin, () => thread.notify(), undefined), ...observed };
}

/** Everything the role asks for, in this thread. */
async function composeInProcess(
  config: Config,
  logger: Logger,
  role: Role,
  carriers: CarrierConfig | undefined,
  options: ComposeOptions,
  lifecycle: Lifecycle,
  serveAdmin: boolean,
): Promise<RunningGateway> {
  const metrics = options.metrics ?? (config.metrics ? new Metrics() : undefined);
  const store = options.store ?? lifecycle.own(await openStore(config, metrics?.onCommit));
  // Given metrics are a dispatch thread's: the main thread reports the queue.
  if (!options.metrics) metrics?.watchQueue(() => store.queueDepth());
  let dispatch: DispatchPart | undefined;
  let events: StatusEvents | undefined;
  let carrier: SmppCarrier | undefined;
  let pingCoordinator: (() => Promise<void>) | undefined;
  if (dispatches(role)) {
    let carrierConfig = carriers;
    if (!carrierConfig) {
      const simulator = lifecycle.own(await startEmbeddedSimulator(config, logger));
      carrierConfig = simulatorCarrierConfig(simulator.port);
    }
    ({ carrier, pingRedis: pingCoordinator } = lifecycle.own(await startCarrier(config, logger, carrierConfig, carriers === undefined, metrics?.carrierObserver)));
    metrics?.watchCarrier(carrier);
    // Parts that listen to status changes (callback sender, metrics) subscribe to `events` and
    // start here, before the dispatcher, so that they close after it and hear the transitions
    // of its last receipts.
    events = new StatusEvents(logger.child({ component: 'status-events' }));
    lifecycle.own(startCallbacks({ config, logger, outbox: store, catalog: store, events, observer: metrics?.callbacks }));
    // The backlog is the outbox's, whoever sends it: one gauge, from the process that reports the queue.
    if (!options.metrics) metrics?.watchCallbackBacklog(async () => (await store.callbackBacklog()).owed);
    if (metrics) events.subscribe((transitions) => metrics.recordTransitions(transitions));
    dispatch = lifecycle.own(await startDispatch({ config, logger, store, carrier, events }));
  }
  let api: ApiPart | undefined;
  let limiter: Limiter | undefined;
  if (servesHttp(role)) {
    limiter = lifecycle.own(await openLimiter(config, logger, store));
    api = lifecycle.own(await startApi({ config, logger, store, limiter, metrics, sink: store, onCommitted: () => dispatch?.notify() }));
  }
  const bindStates = async (): Promise<BindState[]> => carrier?.bindStates() ?? [];
  const observed: Observed = {
    bindStates,
    readiness: () => checkReadiness({ store: () => store.catalogVersion(), redis: redisProbe(limiter) ?? pingCoordinator, binds: carrier && bindStates }),
    metricsJson: metrics && (async () => [await metrics.json()]),
    metrics,
  };
  const refreshCatalog = api ? () => api.refreshCatalog() : undefined;
  const admin = serveAdmin
    ? lifecycle.own(
        await startAdminOf({ config, logger, role, store, refreshCatalog, statusEvents: events, publicPort: api?.port ?? config.port, ...healthOf(observed) }),
      )
    : undefined;
  return { ...running(lifecycle, api, admin, () => dispatch?.notify(), events), ...observed };
}

/** The admin listener with every route group this process has (the primary's, with HTTP workers). */
export function startAdminOf(context: Omit<AdminContext, 'sessions'>): Promise<AdminPart> {
  const { config, logger, store } = context;
  const tokens = new AdminTokenService(store, config.adminToken);
  // One per listener: the console's routes log in and out, the listener checks the cookie, both here.
  const sessions = new ConsoleSessions(tokens);
  return startAdmin({ config, logger, tokens, sessions, groups: adminRouteGroups({ ...context, sessions }) });
}

/** What a gateway shows of its health and metrics. */
type Observed = Pick<RunningGateway, 'bindStates' | 'readiness' | 'metricsJson' | 'metrics'>;

/** /readyz, /metrics and /admin/v1/live on the admin listener: the registries of this process in one text, and its binds. */
function healthOf(observed: Observed): Pick<AdminContext, 'readiness' | 'metrics' | 'metricsJson' | 'bindStates'> {
  const parts = observed.metricsJson;
  return { readiness: observed.readiness, metrics: parts && (async () => mergedExposition(await parts())), metricsJson: parts, bindStates: observed.bindStates };
}

/**
 * Redis answers, where this process keeps its limits there. A dispatcher without them asks its
 * bind coordinator instead: Redis is where it holds its bind slots (not with the built-in
 * simulator, which no other dispatcher shares: that one uses no Redis).
 */
function redisProbe(limiter: Limiter | undefined): (() => Promise<void>) | undefined {
  return limiter?.ping && (() => limiter.ping!());
}

function running(
  lifecycle: Lifecycle,
  api: ApiPart | undefined,
  admin: AdminPart | undefined,
  notifyDispatcher: () => void,
  statusEvents: StatusEvents | undefined,
): Omit<RunningGateway, keyof Observed> {
  return {
    port: api?.port,
    adminPort: admin?.port,
    refreshCatalog: async () => api?.refreshCatalog(),
    notifyDispatcher,
    statusEvents,
    close: () => lifecycle.close(),
  };
}
