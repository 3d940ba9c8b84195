import cluster from 'node:cluster';
import type { Logger } from 'pino';
import { composeGateway } from '../compose/compose-gateway.js';
import { startProcessSummary } from '../compose/process-summary.js';
import type { Config } from '../config/config.js';
import { openStore } from '../store/open-store.js';
import { dispatches, servesHttp, type Role } from '../config/roles.js';
import { AdminTokenService } from '../services/admin-token-service.js';
import { adminTokenBanner, createSampleData, sampleBanner, startedJson, type FirstStart } from './sample-data.js';
import { startDetails } from './start-line.js';
import type { RunningGateway } from '../compose/compose-gateway.js';
import type { Closable } from '../compose/lifecycle.js';
import { trafficTotals } from '../metrics/traffic-totals.js';
import { startFleetAdmin } from '../compose/fleet-admin.js';
import { answerPrimary, workerFleet } from '../compose/worker-fleet.js';

export interface ServeOptions {
  readonly role: Role;
  /** Print one JSON object once running instead of the banner. */
  readonly json: boolean;
  /** Create the sample client and template on an empty database even on PostgreSQL (--sample). */
  readonly sample: boolean;
}

/** Where a running `serve` listens: the public port and the admin port (undefined: none here). */
interface Ports {
  readonly port: number | undefined;
  readonly adminPort: number | undefined;
}

/** How `serve` says it is up: the first-start banner, or with --json one JSON object. */
function announce(json: boolean, role: Role, ports: Ports, firstStart: FirstStart): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(startedJson(role, ports, firstStart))}\n`);
    return;
  }
  if (firstStart.samplePasscode !== undefined && ports.port !== undefined) process.stdout.write(sampleBanner(firstStart.samplePasscode, ports.port));
  if (firstStart.adminToken !== undefined) process.stdout.write(adminTokenBanner(firstStart.adminToken, ports.adminPort));
}

/**
 * `smsgate serve`: the gateway until SIGTERM or SIGINT. With SMSGATE_HTTP_WORKERS=N the API
 * runs in N forked processes sharing the port, and this process keeps the dispatcher.
 */
export async function serve(config: Config, logger: Logger, options: ServeOptions): Promise<void> {
  if (config.httpWorkers > 1 && servesHttp(options.role)) {
    if (cluster.isPrimary) await runPrimary(config, logger, options);
    else await runWorker(config, logger.child({ worker: cluster.worker?.id }));
    return;
  }
  const firstStart = await prepareFirstStart(config, options.sample);
  const gateway = await composeGateway(config, logger, { role: options.role });
  logger.info(startDetails(config, options.role, { http: gateway.port, admin: gateway.adminPort }), 'smsgate is running');
  announce(options.json, options.role, gateway, firstStart);
  onShutdownSignal(logger, config.shutdownTimeoutMs, () => gateway.close(), summaryOf(config, logger, gateway));
}

/** The summary line of this process, with its traffic when metrics are on. */
function summaryOf(config: Config, logger: Logger, gateway: RunningGateway | undefined): Closable {
  const parts = gateway?.metricsJson;
  return startProcessSummary(logger, config.summaryIntervalS * 1000, parts && (async () => trafficTotals(await parts())));
}

/**
 * What a first start creates and shows once. The sample client and template on an empty
 * database: by default on the embedded SQLite only (a first try on one machine); a shared
 * PostgreSQL gets them only when asked (--sample). The admin token, on every store, when
 * SMSGATE_ADMIN_TOKEN is unset and none was made before.
 */
async function prepareFirstStart(config: Config, sampleAsked: boolean): Promise<FirstStart> {
  const store = await openStore(config);
  try {
    const samplePasscode = config.databaseUrl && !sampleAsked ? undefined : await createSampleData(store, Date.now());
    const adminToken = await new AdminTokenService(store, config.adminToken).createIfNone();
    return { samplePasscode, adminToken };
  } finally {
    await store.close();
  }
}

/**
 * One API worker of SMSGATE_HTTP_WORKERS: the primary announces for all of them, and serves the
 * admin listener for all of them, asking each worker its metrics and readiness.
 */
async function runWorker(config: Config, logger: Logger): Promise<void> {
  const gateway = await composeGateway(config, logger, { role: 'api', admin: false });
  answerPrimary(gateway);
  logger.info(startDetails(config, 'api', { http: gateway.port, admin: undefined }), 'smsgate is running');
  onShutdownSignal(logger, config.shutdownTimeoutMs, () => gateway.close(), summaryOf(config, logger, gateway));
}

async function runPrimary(config: Config, logger: Logger, options: ServeOptions): Promise<void> {
  const { role, json } = options;
  const firstStart = await prepareFirstStart(config, options.sample);
  const gateway = dispatches(role) ? await composeGateway(config, logger, { role: 'dispatcher', admin: false }) : undefined;
  // One admin listener for the whole gateway, here: bound once, whatever the number of workers.
  // It starts while the workers do (they take seconds on a busy host), not before them.
  const fleet = workerFleet(() => Object.values(cluster.workers ?? {}).filter((w) => w !== undefined));
  const adminStarting = startFleetAdmin({ config, logger, role, gateway, fleet });

  let stopping = false;
  let bannerShown = false;
  const stop = async (): Promise<void> => {
    stopping = true;
    await (await adminStarting.catch(() => undefined))?.close();
    const exits = Object.values(cluster.workers ?? {}).map(
      (worker) =>
        new Promise<void>((resolve) => {
          worker!.once('exit', () => resolve());
          worker!.process.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
    await gateway?.close();
  };
  cluster.on('listening', (_worker, address) => {
    if (bannerShown) return;
    bannerShown = true;
    void adminStarting.then(
      (admin) => {
        logger.info({ ...startDetails(config, role, { http: address.port, admin: admin.port }), workers: config.httpWorkers }, 'smsgate is running');
        announce(json, role, { port: address.port, adminPort: admin.port }, firstStart);
      },
      () => {}, // stopped below
    );
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (!bannerShown) {
      // No worker ever listened: a start failure (the worker said why), which another fork
      // would only repeat. Stop with the worker's exit status (2 for a setting to change).
      void stop().finally(() => process.exit(code === 2 ? 2 : 1));
      return;
    }
    logger.error({ worker: worker.id, code, signal }, 'an API worker died; starting another');
    cluster.fork();
  });
  for (let i = 0; i < config.httpWorkers; i++) cluster.fork();
  await adminStarting.catch(async (error: unknown) => {
    await stop(); // the admin port taken: a setting to change, as for the public port
    throw error;
  });

  onShutdownSignal(logger, config.shutdownTimeoutMs, stop, summaryOf(config, logger, gateway));
}

/**
 * SIGTERM or SIGINT: close (answer requests in flight, commit, unbind), say so in a last line,
 * exit 0. The dispatcher gives up waiting for submit answers at half of `timeoutMs` (those are
 * queued again); should closing still hang, the process exits 1 at `timeoutMs`, losing nothing
 * answered: a send is answered only after its commit.
 */
function onShutdownSignal(logger: Logger, timeoutMs: number, close: () => Promise<void>, summary: Closable): void {
  const shutdown = (signal: string) => {
    const started = Date.now();
    logger.info({ signal, timeoutMs }, 'shutting down: no new requests, finishing commits');
    void summary.close();
    setTimeout(() => {
      logger.error({ signal, timeoutMs }, 'shutdown did not finish in time; stopped anyway');
      process.exit(1);
    }, timeoutMs).unref();
    close().then(
      () => {
        logger.info({ signal, ms: Date.now() - started }, 'stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed; stopped');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
