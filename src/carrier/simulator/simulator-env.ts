import { GatewayError } from '../../domain/errors.js';
import type { SimulatorOptions } from './simulator.js';

function int(env: NodeJS.ProcessEnv, key: string, fallback: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new GatewayError('INVALID_CONFIG', `${key} must be an integer from 0 to ${max}`);
  }
  return value;
}

/**
 * Simulator settings from the environment: SMSGATE_SIM_DLR_MS (receipt delay, default 500),
 * SMSGATE_SIM_HOST (default 127.0.0.1), SMSGATE_SIM_PORT (default `port`: 2775 for
 * `smsgate simulator`, 0 = a free port for the embedded one), SMSGATE_SIM_SYSTEM_ID and
 * SMSGATE_SIM_PASSWORD (default smsgate/smsgate, what the default carrier config binds with).
 */
export function simulatorOptionsFromEnv(env: NodeJS.ProcessEnv, defaults: { port: number }): SimulatorOptions {
  return {
    host: env.SMSGATE_SIM_HOST || '127.0.0.1',
    port: int(env, 'SMSGATE_SIM_PORT', defaults.port, 65535),
    dlrDelayMs: int(env, 'SMSGATE_SIM_DLR_MS', 500, 86_400_000),
    systemId: env.SMSGATE_SIM_SYSTEM_ID || 'smsgate',
    password: env.SMSGATE_SIM_PASSWORD || 'smsgate',
  };
}
