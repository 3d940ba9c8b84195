import type { Logger } from 'pino';
import { startSimulator } from '../carrier/simulator/simulator.js';
import { simulatorOptionsFromConfig } from '../carrier/simulator/simulator-env.js';
import type { Config } from '../config/config.js';
import type { Output } from './output.js';

/** `smsgate simulator`: the SMSC simulator alone, on SMSGATE_SIM_PORT (default 2775). */
export async function runSimulator(config: Config, logger: Logger, out: Output): Promise<void> {
  const options = simulatorOptionsFromConfig(config, 2775);
  const simulator = await startSimulator({ ...options, logger });
  logger.info({ host: simulator.host, port: simulator.port, system_id: options.systemId }, 'SMSC simulator listening');
  out.result(
    { status: 'running', host: simulator.host, port: simulator.port, system_id: options.systemId },
    `smsgate simulator: SMPP on ${simulator.host}:${simulator.port} (system_id ${options.systemId})`,
  );
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
