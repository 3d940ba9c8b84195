import cluster from 'node:cluster';
import type { Logger } from 'pino';
import { composeGateway } from '../compose.js';
import type { Config } from '../config/config.js';
import type { RunningGateway } from '../gateway.js';
import { openStore } from '../store/open-store.js';
import { dispatches, servesHttp, type Role } from '../config/roles.js';
import { createSampleData, sampleBanner, startedJson } from './sample-data.js';

/** How `serve` says it is up: the first-start banner, or with --json one JSON object. */
function announce(json: boolean, role: Role, port: number | undefined, samplePasscode: string | undefined): void {
  if (json) process.stdout.write(`${JSON.stringify(startedJson(role, port, samplePasscode))}\n`);
  else if (samplePasscode !== undefined && port !== undefined) process.stdout.write(sampleBanner(samplePasscode, port));
}

/**
 * `smsgate serve`: the gateway until SIGTERM or SIGINT. With SMSGATE_HTTP_WORKERS=N the API
 * runs in N forked processes sharing the port, and this process keeps the dispatcher.
 */
export async function serve(config: Config, logger: Logger, role: Role, json = false): Promise<void> {
  if (config.httpWorkers > 1 && servesHttp(role)) {
    if (cluster.isPrimary) await runPrimary(config, logger, role, json);
    else await runWorker(config, logger.child({ worker: cluster.worker?.id }));
    return;
  }
  const gateway = await runProcess(config, logger, role, true, json);
  onShutdownSignal(logger, () => gateway.close());
}

/** One API worker of SMSGATE_HTTP_WORKERS: the primary announces for all of them. */
async function runWorker(config: Config, logger: Logger): Promise<void> {
  const store = await openStore(config);
  const gateway = await composeGateway(config, logger, store, 'api');
  logger.info({ role: 'api', port: gateway.port }, 'smsgate is running');
  onShutdownSignal(logger, () => gateway.close());
}

async function runProcess(config: Config, logger: Logger, role: Role, mayCreateSample: boolean, json: boolean): Promise<RunningGateway> {
  const store = await openStore(config);
  const samplePasscode = mayCreateSample ? await createSampleData(store, Date.now()) : undefined;
  const gateway = await composeGateway(config, logger, store, role);
  logger.info({ role, port: gateway.port, db: config.databaseUrl ? 'postgres' : config.dbPath }, 'smsgate is running');
  announce(json, role, gateway.port, samplePasscode);
  return gateway;
}

async function runPrimary(config: Config, logger: Logger, role: Role, json: boolean): Promise<void> {
  const store = await openStore(config);
  const samplePasscode = await createSampleData(store, Date.now());
  let gateway: RunningGateway | undefined;
  if (dispatches(role)) gateway = await composeGateway(config, logger, store, 'dispatcher');
  else await store.close();

  let stopping = false;
  let bannerShown = false;
  cluster.on('listening', (_worker, address) => {
    if (bannerShown) return;
    bannerShown = true;
    logger.info({ role, workers: config.httpWorkers, port: address.port }, 'smsgate is running');
    announce(json, role, address.port, samplePasscode);
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.error({ worker: worker.id, code, signal }, 'an API worker died; starting another');
    cluster.fork();
  });
  for (let i = 0; i < config.httpWorkers; i++) cluster.fork();

  onShutdownSignal(logger, async () => {
    stopping = true;
    const exits = Object.values(cluster.workers ?? {}).map(
      (worker) =>
        new Promise<void>((resolve) => {
          worker!.once('exit', () => resolve());
          worker!.process.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
    await gateway?.close();
  });
}

function onShutdownSignal(logger: Logger, close: () => Promise<void>): void {
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: no new requests, finishing commits');
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
