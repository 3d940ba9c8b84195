import type { Logger } from 'pino';
import { composeGateway } from '../compose.js';
import type { Config } from '../config/config.js';
import type { RunningGateway } from '../gateway.js';
import { openStore } from '../store/open-store.js';
import { createSampleData, sampleBanner } from './sample-data.js';

/** `smsgate serve`: the gateway in this process, until SIGTERM or SIGINT. */
export async function serve(config: Config, logger: Logger): Promise<RunningGateway> {
  const store = await openStore(config);
  const samplePasscode = await createSampleData(store, Date.now());
  const gateway = await composeGateway(config, logger, store);
  logger.info({ port: gateway.port, db: config.databaseUrl ? 'postgres' : config.dbPath }, 'smsgate is listening');
  if (samplePasscode !== undefined) process.stdout.write(sampleBanner(samplePasscode, gateway.port ?? config.port));

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: no new requests, finishing commits');
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  return gateway;
}
