import type { Logger } from 'pino';
import { InProcessCarrier } from './carrier/in-process-carrier.js';
import { dispatches, servesHttp, type Role } from './config/roles.js';
import type { Config } from './config/config.js';
import { startGateway, type RunningGateway } from './gateway.js';
import { MemoryLimiter } from './limits/memory-limiter.js';
import type { MessageStore } from './store/message-store.js';

/** Builds the gateway the configuration describes, over an opened store. */
export async function composeGateway(config: Config, logger: Logger, store: MessageStore, role: Role = 'all'): Promise<RunningGateway> {
  const limiter = new MemoryLimiter({
    perNumberIntervalMs: config.perNumberIntervalS * 1000,
    sendRatePerS: config.sendRatePerS,
    queryRatePerS: config.queryRatePerS,
  });
  const carrier = dispatches(role) ? new InProcessCarrier(config.simulatorDlrMs) : undefined;
  return startGateway({ config, logger, store, limiter, carrier, serveHttp: servesHttp(role) });
}
