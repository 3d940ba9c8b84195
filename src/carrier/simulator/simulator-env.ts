import { readInteger, readOptional, readString } from '../../config/env.js';
import type { SimulatorOptions } from './simulator.js';

/**
 * Simulator settings from the environment: SMSGATE_SIM_DLR_MS (receipt delay, default 500),
 * SMSGATE_SIM_HOST (default 127.0.0.1), SMSGATE_SIM_PORT (default `port`: 2775 for
 * `smsgate simulator`, 0 = a free port for the embedded one), SMSGATE_SIM_SYSTEM_ID and
 * SMSGATE_SIM_PASSWORD (default smsgate/smsgate, what the default carrier config binds with),
 * SMSGATE_SIM_JOURNAL (a file keeping owed receipts across restarts; unset: memory only).
 */
export function simulatorOptionsFromEnv(env: NodeJS.ProcessEnv, defaults: { port: number }): SimulatorOptions {
  return {
    host: readString(env, 'SMSGATE_SIM_HOST', '127.0.0.1'),
    port: readInteger(env, 'SMSGATE_SIM_PORT', defaults.port, 0, 65535),
    dlrDelayMs: readInteger(env, 'SMSGATE_SIM_DLR_MS', 500, 0, 86_400_000),
    systemId: readString(env, 'SMSGATE_SIM_SYSTEM_ID', 'smsgate'),
    password: readString(env, 'SMSGATE_SIM_PASSWORD', 'smsgate'),
    journalPath: readOptional(env, 'SMSGATE_SIM_JOURNAL'),
  };
}
