import cluster from 'node:cluster';
import type { Logger } from 'pino';
import { composeGateway } from '../compose.js';
import type { Config } from '../config/config.js';
import type { RunningGateway } from '../gateway.js';
import { openStore } from '../store/open-store.js';
import { dispatches, servesHttp, type Role } from '../config/roles.js';
import { createSampleData, sampleBanner } from './sample-data.js';

/**
 * `smsgate serve`: the gateway until SIGTERM or SIGINT. With SMSGATE_HTTP_WORKERS=N the API
 * runs in N forked processes sharing the port, and this process keeps the dispatcher.
 */
export async function serve(config: Config, logger: Logger, role: Role): Promise<void> {
  if (config.httpWorkers > 1 && servesHttp(role)) {
    if (cluster.isPrimary) await runPrimary(config, logger, role);
    else await runProcess(config, logger.child({ worker: cluster.worker?.id }), 'api', false);
    return;
  }
  await runProcess(config, logger, role, true);
}

async function runProcess(config: Config, logger: Logger, role: Role, mayCreateSample: boolean): Promise<void> {
  const store = await openStore(config);
  const samplePasscode = mayCreateSample ? await createSampleData(store, Date.now()) : undefined;
  const gateway = await composeGateway(config, logger, store, role);
  logger.info({ role, port: gateway.port, db: config.databaseUrl ? 'postgres' : config.dbPath }, 'smsgate is running');
  if (samplePasscode !== undefined && gateway.port !== undefined) {
    process.stdout.write(sampleBanner(samplePasscode, gateway.port));
  }
  onShutdownSignal(logger, () => gateway.close());
}

async function runPrimary(config: Config, logger: Logger, role: Role): Promise<void> {
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
    if (samplePasscode !== undefined) process.stdout.write(sampleBanner(samplePasscode, address.port));
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
