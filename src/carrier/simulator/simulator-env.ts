import type { Config } from '../../config/config.js';
import type { SimulatorOptions } from './simulator.js';

/** What of the configuration the simulator reads (the SMSGATE_SIM_* settings). */
export type SimulatorSettings = Pick<
  Config,
  | 'simulatorHost'
  | 'simulatorPort'
  | 'simulatorDlrMs'
  | 'simulatorSystemId'
  | 'simulatorPassword'
  | 'simulatorJournal'
  | 'simulatorIdStyle'
  | 'simulatorFirstId'
  | 'simulatorDropReceipts'
  | 'simulatorQuerySm'
>;

/**
 * Simulator options from the configuration. `defaultPort` applies when SMSGATE_SIM_PORT is unset:
 * 2775 for `smsgate simulator`, 0 (a free port) for the embedded one.
 */
export function simulatorOptionsFromConfig(config: SimulatorSettings, defaultPort: number): SimulatorOptions {
  return {
    host: config.simulatorHost,
    port: config.simulatorPort ?? defaultPort,
    dlrDelayMs: config.simulatorDlrMs,
    systemId: config.simulatorSystemId,
    password: config.simulatorPassword,
    journalPath: config.simulatorJournal,
    idStyle: config.simulatorIdStyle,
    firstMessageId: config.simulatorFirstId,
    dropReceipts: config.simulatorDropReceipts,
    querySm: config.simulatorQuerySm,
  };
}
