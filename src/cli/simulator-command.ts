import type { Logger } from 'pino';
import { startSimulator } from '../carrier/simulator/simulator.js';
import { simulatorOptionsFromEnv } from '../carrier/simulator/simulator-env.js';

/** `smsgate simulator`: the SMSC simulator alone, on SMSGATE_SIM_PORT (default 2775). */
export async function runSimulator(env: NodeJS.ProcessEnv, logger: Logger): Promise<void> {
  const options = simulatorOptionsFromEnv(env, { port: 2775 });
  const simulator = await startSimulator({ ...options, logger });
  logger.info({ host: simulator.host, port: simulator.port, system_id: options.systemId }, 'SMSC simulator listening');
  process.stdout.write(`smsgate simulator: SMPP on ${simulator.host}:${simulator.port} (system_id ${options.systemId})\n`);
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
