import { readFileSync } from 'node:fs';
import { GatewayError } from '../../domain/errors.js';

/**
 * SMSC connections, from the JSON file named by SMSGATE_CARRIERS (docs/carriers.md), or one
 * connection to the built-in simulator when it is unset. Every key is checked; the first bad
 * one stops the process with a single line naming it.
 */
export type BindMode = 'transceiver' | 'transmitter_receiver';

export interface SmscConnectionConfig {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly systemId: string;
  readonly password: string;
  readonly systemType: string;
  readonly bindMode: BindMode;
  /** Sessions of each kind: transceivers, or transmitters plus as many receivers. */
  readonly binds: number;
  /** Unacknowledged submit_sm per bind. */
  readonly window: number;
  /** Per bind; 0 = no cap. */
  readonly maxSubmitsPerSecond: number;
  readonly enquireLinkIntervalMs: number;
  readonly responseTimeoutMs: number;
  readonly reconnectInitialMs: number;
  readonly reconnectMaxMs: number;
  /** How long a bind sends nothing after the SMSC answered ESME_RTHROTTLED. */
  readonly throttledPauseMs: number;
  /** query_sm sent per second at most, over all binds of the connection; 0 = never query. */
  readonly querySmPerSecond: number;
  readonly sourceAddr: string;
  readonly sourceAddrTon: number;
  readonly sourceAddrNpi: number;
  readonly destAddrTon: number;
  readonly destAddrNpi: number;
  /** E.164 prefixes ("+44") this connection serves; empty = the default route. */
  readonly prefixes: readonly string[];
  /**
   * The SMSC lets every dispatcher open all `binds` under this system_id: no spreading of bind
   * slots over dispatchers (src/coordination). Off by default, since most SMSCs cap the binds
   * per system_id and refuse or drop the extra ones.
   */
  readonly sharedIdentity: boolean;
}

export interface CarrierConfig {
  readonly connections: readonly SmscConnectionConfig[];
}

type Raw = Record<string, unknown>;
type Check<T> = (value: unknown, key: string) => T;

function fail(key: string, problem: string): never {
  throw new GatewayError('INVALID_CONFIG', `SMSGATE_CARRIERS: ${key} ${problem}`);
}

const str =
  (opts: { empty?: boolean; max?: number } = {}): Check<string> =>
  (v, key) => {
    if (typeof v !== 'string') fail(key, 'must be a string');
    if (!opts.empty && v === '') fail(key, 'must not be empty');
    if (opts.max !== undefined && v.length > opts.max) fail(key, `must be at most ${opts.max} characters`);
    return v;
  };

const int =
  (min: number, max: number): Check<number> =>
  (v, key) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      fail(key, `must be an integer from ${min} to ${max}`);
    }
    return v;
  };

const bool: Check<boolean> = (v, key) => (typeof v === 'boolean' ? v : fail(key, 'must be true or false'));

const bindMode: Check<BindMode> = (v, key) =>
  v === 'transceiver' || v === 'transmitter_receiver' ? v : fail(key, 'must be "transceiver" or "transmitter_receiver"');

const prefixes: Check<string[]> = (v, key) => {
  if (!Array.isArray(v)) fail(key, 'must be an array of "+digits" prefixes');
  return v.map((p, i) => (typeof p === 'string' && /^\+[0-9]{1,15}$/.test(p) ? p : fail(`${key}[${i}]`, 'must be "+" followed by digits')));
};

// snake_case key -> [check, default (undefined = required)]. SMPP limits: system_id 16 octets,
// password 9, system_type 13, source_addr 21 (SMPP 3.4 4.1).
const FIELDS: { [K in keyof SmscConnectionConfig]: [string, Check<SmscConnectionConfig[K]>, SmscConnectionConfig[K]?] } = {
  name: ['name', str({ max: 64 })],
  host: ['host', str()],
  port: ['port', int(1, 65535)],
  tls: ['tls', bool, false],
  systemId: ['system_id', str({ max: 15 })],
  password: ['password', str({ empty: true, max: 8 }), ''],
  systemType: ['system_type', str({ empty: true, max: 12 }), ''],
  bindMode: ['bind_mode', bindMode, 'transceiver'],
  binds: ['binds', int(1, 32), 1],
  window: ['window', int(1, 100_000), 10],
  maxSubmitsPerSecond: ['max_submits_per_second', int(0, 1_000_000), 0],
  enquireLinkIntervalMs: ['enquire_link_interval_ms', int(100, 3_600_000), 30_000],
  responseTimeoutMs: ['response_timeout_ms', int(10, 600_000), 10_000],
  reconnectInitialMs: ['reconnect_initial_ms', int(10, 600_000), 1_000],
  reconnectMaxMs: ['reconnect_max_ms', int(10, 3_600_000), 30_000],
  throttledPauseMs: ['throttled_pause_ms', int(0, 600_000), 1_000],
  querySmPerSecond: ['query_sm_per_second', int(0, 1_000), 5],
  sourceAddr: ['source_addr', str({ max: 20 }), 'smsgate'],
  sourceAddrTon: ['source_addr_ton', int(0, 6), 5],
  sourceAddrNpi: ['source_addr_npi', int(0, 18), 0],
  destAddrTon: ['dest_addr_ton', int(0, 6), 1],
  destAddrNpi: ['dest_addr_npi', int(0, 18), 1],
  prefixes: ['prefixes', prefixes, []],
  sharedIdentity: ['shared_identity', bool, false],
};

const KNOWN_KEYS = new Set(Object.values(FIELDS).map(([key]) => key));

function parseConnection(raw: unknown, at: string): SmscConnectionConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(at, 'must be an object');
  const object = raw as Raw;
  for (const key of Object.keys(object)) if (!KNOWN_KEYS.has(key)) fail(`${at}.${key}`, 'is not a known key');
  const out: Record<string, unknown> = {};
  for (const [field, [key, check, fallback]] of Object.entries(FIELDS)) {
    const value = object[key];
    if (value === undefined && fallback === undefined) fail(`${at}.${key}`, 'is required');
    out[field] = value === undefined ? fallback : (check as Check<unknown>)(value, `${at}.${key}`);
  }
  const config = out as unknown as SmscConnectionConfig;
  if (config.reconnectMaxMs < config.reconnectInitialMs) fail(`${at}.reconnect_max_ms`, 'must not be below reconnect_initial_ms');
  return config;
}

/** Validates a parsed SMSGATE_CARRIERS document: `{"connections": [...]}`. */
export function parseCarrierConfig(doc: unknown): CarrierConfig {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail('(document)', 'must be an object with "connections"');
  for (const key of Object.keys(doc)) if (key !== 'connections') fail(key, 'is not a known key');
  const list = (doc as Raw).connections;
  if (!Array.isArray(list) || list.length === 0) fail('connections', 'must be a non-empty array');
  const connections = list.map((c, i) => parseConnection(c, `connections[${i}]`));
  const names = new Set<string>();
  connections.forEach((c, i) => {
    if (names.has(c.name)) fail(`connections[${i}].name`, `"${c.name}" is used twice`);
    names.add(c.name);
  });
  if (!connections.some((c) => c.prefixes.length === 0)) {
    fail('connections', 'need a default route: one connection without "prefixes"');
  }
  return { connections };
}

/** The connection used when SMSGATE_CARRIERS is unset: the built-in simulator on loopback. */
export function simulatorCarrierConfig(simulatorPort: number): CarrierConfig {
  return parseCarrierConfig({
    connections: [{ name: 'simulator', host: '127.0.0.1', port: simulatorPort, system_id: 'smsgate', password: 'smsgate' }],
  });
}

/** What the SMSC counts binds against: the same account on the same server. */
export function bindIdentity(config: Pick<SmscConnectionConfig, 'systemId' | 'host' | 'port'>): string {
  return `${config.systemId}@${config.host}:${config.port}`;
}

/**
 * The connections of the file at `path` (SMSGATE_CARRIERS, from Config), or with no path those of
 * the built-in simulator on `simulatorPort`.
 */
export function loadCarrierConfig(path: string | undefined, simulatorPort?: number): CarrierConfig {
  if (path === undefined || path === '') {
    if (simulatorPort === undefined) {
      throw new GatewayError('INVALID_CONFIG', 'SMSGATE_CARRIERS is unset and no built-in simulator is running');
    }
    return simulatorCarrierConfig(simulatorPort);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new GatewayError('INVALID_CONFIG', `SMSGATE_CARRIERS: cannot read ${path}: ${(error as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new GatewayError('INVALID_CONFIG', `SMSGATE_CARRIERS: ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseCarrierConfig(doc);
}
