import { isSupportedRegion } from '../domain/phone-number.js';
import { GatewayError } from '../domain/errors.js';
import { DEFAULT_RECEIPT_HOLD_MS } from '../domain/receipt-id-style.js';
import { parseSendWindows, type SendWindow } from '../domain/send-windows.js';
import { readChoice, readInteger, readOptional, readString, readUrl } from './env.js';
import { readTrustProxy } from './trust-proxy.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Env = NodeJS.ProcessEnv;

/**
 * One environment variable: how it is read, its default as a user would write it (undefined:
 * unset), and what it means. README's "Configuration" table is this table, row for row
 * (test/config/readme-table.test.ts).
 */
export interface Setting<T> {
  readonly name: string;
  readonly read: (env: Env, name: string, fallback: string | undefined) => T;
  readonly fallback: string | undefined;
  /** How README shows the default, where the plain value would not say enough. */
  readonly shownDefault?: string;
  readonly description: string;
}

const setting = <T>(s: Setting<T>): Setting<T> => s;

const integer =
  (min: number, max?: number) =>
  (env: Env, name: string, fallback: string | undefined): number =>
    readInteger(env, name, Number(fallback), min, max);

const optionalInteger =
  (min: number, max: number) =>
  (env: Env, name: string): number | undefined =>
    readOptional(env, name) === undefined ? undefined : readInteger(env, name, 0, min, max);

const text = (env: Env, name: string, fallback: string | undefined): string => readString(env, name, fallback ?? '');
const optionalText = (env: Env, name: string): string | undefined => readOptional(env, name);

const choice =
  <T extends string>(choices: readonly T[]) =>
  (env: Env, name: string, fallback: string | undefined): T =>
    readChoice(env, name, fallback as T, choices);

const onOff = (env: Env, name: string, fallback: string | undefined): boolean =>
  readChoice(env, name, fallback as 'on' | 'off', ['on', 'off']) === 'on';

const trueFalse = (env: Env, name: string, fallback: string | undefined): boolean =>
  readChoice(env, name, fallback as 'true' | 'false', ['true', 'false']) === 'true';

const url =
  (...protocols: string[]) =>
  (env: Env, name: string): string | undefined =>
    readUrl(env, name, protocols);

const region = (env: Env, name: string, fallback: string | undefined): string => {
  const value = readString(env, name, fallback ?? '').toUpperCase();
  if (!isSupportedRegion(value)) throw new GatewayError('INVALID_CONFIG', `${name}="${value}" is invalid: expected a region code like CN or US`);
  return value;
};

/** A share from 0 to 1, e.g. `0.3`. */
const share = (env: Env, name: string, fallback: string | undefined): number => {
  const raw = readString(env, name, fallback ?? '0');
  const value = Number(raw);
  if (!/^\d*\.?\d+$/.test(raw) || value > 1) throw new GatewayError('INVALID_CONFIG', `${name}="${raw}" is invalid: expected a share from 0 to 1, like 0.3`);
  return value;
};

/** A window list (`1/60s,5/1h`); unset: undefined. */
const sendWindows = (env: Env, name: string): SendWindow[] | undefined => {
  const raw = readOptional(env, name);
  if (raw === undefined) return undefined;
  try {
    return parseSendWindows(raw);
  } catch (error) {
    throw new GatewayError('INVALID_CONFIG', `${name}="${raw}" is invalid: ${(error as Error).message}`);
  }
};

/** Every setting of the gateway, in the order README lists them. */
export const SETTINGS = {
  port: setting({ name: 'SMSGATE_PORT', read: integer(0, 65535), fallback: '8080', description: 'HTTP port (`0`: any free port)' }),
  host: setting({ name: 'SMSGATE_HOST', read: text, fallback: '0.0.0.0', description: 'HTTP address to listen on' }),
  adminPort: setting({
    name: 'SMSGATE_ADMIN_PORT',
    read: integer(0, 65535),
    fallback: '8081',
    description: 'the admin listener\'s port: admin API, health, metrics, its OpenAPI document ([docs/admin.md](docs/admin.md)); `0`: any free port',
  }),
  adminHost: setting({
    name: 'SMSGATE_ADMIN_HOST',
    read: text,
    fallback: '127.0.0.1',
    description: 'address the admin listener listens on (loopback: reachable from this host only)',
  }),
  adminToken: setting({
    name: 'SMSGATE_ADMIN_TOKEN',
    read: optionalText,
    fallback: undefined,
    shownDefault: '(unset: generated on the first start, printed once, stored as a hash)',
    description: 'the bearer token of the admin API (`Authorization: Bearer <token>`); `smsgate admin token rotate` replaces a generated one',
  }),
  metricsTokenRequired: setting({
    name: 'SMSGATE_METRICS_TOKEN_REQUIRED',
    read: trueFalse,
    fallback: 'false',
    description: '`true`: `/healthz`, `/readyz` and `/metrics` on the admin listener need the admin token too',
  }),
  httpHeadersTimeoutMs: setting({
    name: 'SMSGATE_HTTP_HEADERS_TIMEOUT_MS',
    read: integer(100, 3_600_000),
    fallback: '10000',
    description: 'a connection that has not sent its request headers in this time gets a 408 and is closed (slowloris)',
  }),
  httpRequestTimeoutMs: setting({
    name: 'SMSGATE_HTTP_REQUEST_TIMEOUT_MS',
    read: integer(100, 3_600_000),
    fallback: '30000',
    description:
      'a request not received whole (headers and body) in this time gets a 408 and is closed; at least `SMSGATE_HTTP_HEADERS_TIMEOUT_MS`',
  }),
  httpKeepAliveTimeoutMs: setting({
    name: 'SMSGATE_HTTP_KEEP_ALIVE_TIMEOUT_MS',
    read: integer(100, 3_600_000),
    fallback: '5000',
    description: 'an idle keep-alive connection is closed after this; set it above the idle timeout of a load balancer in front',
  }),
  httpMaxConnections: setting({
    name: 'SMSGATE_HTTP_MAX_CONNECTIONS',
    read: integer(1, 1_000_000),
    fallback: '10000',
    description:
      'open HTTP connections per API process; one more is answered 503 and closed at once (kept below the open-file limit, `ulimit -n`)',
  }),
  httpMaxHeaders: setting({
    name: 'SMSGATE_HTTP_MAX_HEADERS',
    read: integer(1, 10_000),
    fallback: '100',
    description: 'a request with more header lines gets a 431',
  }),
  httpMaxHeaderBytes: setting({
    name: 'SMSGATE_HTTP_MAX_HEADER_BYTES',
    read: integer(1024, 1_048_576),
    fallback: '16384',
    description: 'a request line and headers larger than this get a 431',
  }),
  httpMaxBodyBytes: setting({
    name: 'SMSGATE_HTTP_MAX_BODY_BYTES',
    read: integer(1024, 1_048_576),
    fallback: '16384',
    description: 'a larger request body gets a 413',
  }),
  dbPath: setting({
    name: 'SMSGATE_DB',
    read: text,
    fallback: './data/smsgate.db',
    description: 'SQLite database file (folder created) for the embedded default',
  }),
  perNumberIntervalS: setting({
    name: 'SMSGATE_PER_NUMBER_INTERVAL_S',
    read: integer(0, 86400),
    fallback: '60',
    description: 'one accepted send per phone number per this many seconds (`0`: no limit)',
  }),
  perNumberLimits: setting({
    name: 'SMSGATE_PER_NUMBER_LIMITS',
    read: sendWindows,
    fallback: undefined,
    shownDefault: '`1/60s` (from `SMSGATE_PER_NUMBER_INTERVAL_S`)',
    description:
      'windows every phone number is held to, e.g. `1/60s,5/1h,10/24h` (units `s` `m` `h` `d`, at most `1d`; `none`: no window); set, it replaces `SMSGATE_PER_NUMBER_INTERVAL_S` ([Limits and abuse](#limits-and-abuse))',
  }),
  sendRatePerS: setting({ name: 'SMSGATE_SEND_RATE', read: integer(1), fallback: '80000', description: 'accepted sends per second, all clients together' }),
  queryRatePerS: setting({ name: 'SMSGATE_QUERY_RATE', read: integer(1), fallback: '1000', description: 'queries per second, all clients together' }),
  authFailuresPerMin: setting({
    name: 'SMSGATE_AUTH_FAILURES_PER_MIN',
    read: integer(1, 1_000_000),
    fallback: '20',
    description:
      'wrong passcodes one address may give for one `client_id` in a minute; then it gets 429 with `Retry-After` for 1 min, doubling on each repeat up to 1 h ([docs/reliability.md](docs/reliability.md))',
  }),
  authFailuresPerAddressPerMin: setting({
    name: 'SMSGATE_AUTH_FAILURES_PER_ADDRESS_PER_MIN',
    read: integer(1, 1_000_000),
    fallback: '100',
    description: 'wrong passcodes one address may give in a minute for all `client_id`s together; then as above',
  }),
  trustProxy: setting({
    name: 'SMSGATE_TRUST_PROXY',
    read: readTrustProxy,
    fallback: 'off',
    description:
      'whose `X-Forwarded-For` names the client address (what the two limits above count): `off`, the TCP peer; proxy addresses and CIDR ranges, comma-separated (e.g. `10.0.0.1,192.168.0.0/16`); a hop count; `true`, every peer ([docs/reliability.md](docs/reliability.md))',
  }),
  defaultRegion: setting({
    name: 'SMSGATE_DEFAULT_REGION',
    read: region,
    fallback: 'CN',
    description: 'region for phone numbers given without a country code',
  }),
  simulatorDlrMs: setting({
    name: 'SMSGATE_SIM_DLR_MS',
    read: integer(0, 3_600_000),
    fallback: '500',
    description: "the built-in simulator's delay before it reports delivery",
  }),
  validityS: setting({
    name: 'SMSGATE_VALIDITY_S',
    read: integer(60, 30 * 86400),
    fallback: String(48 * 3600),
    shownDefault: '`172800` (48 h)',
    description: 'a message not delivered by then ends as `error_expired`',
  }),
  logLevel: setting({
    name: 'SMSGATE_LOG_LEVEL',
    read: choice(LOG_LEVELS),
    fallback: 'info',
    description: '`fatal` `error` `warn` `info` `debug` `trace` `silent`; logs are JSON on stderr',
  }),
  summaryIntervalS: setting({
    name: 'SMSGATE_SUMMARY_INTERVAL_S',
    read: integer(1, 86_400),
    fallback: '60',
    description: 'how often the `summary` log line (accepted, delivered, errors, queue depth, memory) is written, at `info`',
  }),
  metrics: setting({
    name: 'SMSGATE_METRICS',
    read: onOff,
    fallback: 'on',
    description:
      '`off`: count nothing and serve no `/metrics` (to measure what counting costs: [docs/monitoring.md](docs/monitoring.md)); `/healthz` and `/readyz` stay',
  }),
  /** Largest number of sends committed in one transaction. */
  commitBatchMax: setting({
    name: 'SMSGATE_COMMIT_BATCH_MAX',
    read: integer(1, 100_000),
    fallback: '1000',
    description: 'most sends committed in one transaction (group commit)',
  }),
  carriersPath: setting({
    name: 'SMSGATE_CARRIERS',
    read: optionalText,
    fallback: undefined,
    description:
      'path of a JSON file with the SMSC connections ([docs/carriers.md](docs/carriers.md)); unset: the built-in simulator',
  }),
  /** Unset: 2775 for `smsgate simulator`, a free port for the embedded one. */
  simulatorPort: setting({
    name: 'SMSGATE_SIM_PORT',
    read: optionalInteger(0, 65535),
    fallback: undefined,
    shownDefault: '`2775` (`smsgate simulator`), a free port (embedded)',
    description: "the simulator's SMPP port",
  }),
  simulatorHost: setting({ name: 'SMSGATE_SIM_HOST', read: text, fallback: '127.0.0.1', description: "the simulator's address" }),
  simulatorSystemId: setting({ name: 'SMSGATE_SIM_SYSTEM_ID', read: text, fallback: 'smsgate', description: 'system_id the simulator accepts' }),
  simulatorPassword: setting({ name: 'SMSGATE_SIM_PASSWORD', read: text, fallback: 'smsgate', description: 'password the simulator accepts' }),
  /** Unset: beside the database for the embedded simulator, memory only for `smsgate simulator`. */
  simulatorJournal: setting({
    name: 'SMSGATE_SIM_JOURNAL',
    read: optionalText,
    fallback: undefined,
    shownDefault: 'embedded: `simulator-receipts.db` beside `SMSGATE_DB`; alone: unset',
    description: 'file keeping the receipts the simulator owes across restarts',
  }),
  simulatorIdStyle: setting({
    name: 'SMSGATE_SIM_ID_STYLE',
    // The simulator's own type (carrier/simulator/id-style.ts) must accept each: simulator-env.ts
    // hands this value over, so the compiler keeps the two lists in step.
    read: choice(['hex', 'dec', 'dec-in-answer-hex-in-receipt'] as const),
    fallback: 'hex',
    description: 'how the simulator writes message ids: `hex`, `dec`, or `dec-in-answer-hex-in-receipt` (decimal in submit_sm_resp, hex in the receipt)',
  }),
  /** Unset: ids from the clock, so they do not repeat after a restart. */
  simulatorFirstId: setting({
    name: 'SMSGATE_SIM_FIRST_ID',
    read: optionalInteger(0, Number.MAX_SAFE_INTEGER),
    fallback: undefined,
    shownDefault: '(unset: from the clock)',
    description: "the simulator's first message id (`1`: ids from 1, as many SMSCs count)",
  }),
  simulatorDropReceipts: setting({
    name: 'SMSGATE_SIM_DROP_RECEIPTS',
    read: share,
    fallback: '0',
    description: 'share (0 to 1) of receipts the simulator never sends; it still answers `query_sm` for their messages',
  }),
  simulatorQuerySm: setting({
    name: 'SMSGATE_SIM_QUERY_SM',
    read: choice(['answer', 'generic_nack', 'invalid_command'] as const),
    fallback: 'answer',
    description: 'how the simulator answers `query_sm`: `answer`, or as an SMSC without it: `generic_nack`, `invalid_command` (`ESME_RINVCMDID`)',
  }),
  /** With role `all`: run the dispatcher in a worker thread of its own (default) or in-process. */
  dispatchThread: setting({
    name: 'SMSGATE_DISPATCH_THREAD',
    read: onOff,
    fallback: 'on',
    description:
      'with `--role all`: run the dispatcher (and the built-in simulator) in a worker thread of its own, so SMPP work does not share the event loop that answers HTTP; `off`: in the main thread',
  }),
  /** API processes on this host (node:cluster); more than one needs shared limits (Redis). */
  httpWorkers: setting({
    name: 'SMSGATE_HTTP_WORKERS',
    read: integer(1, 64),
    fallback: '1',
    description: 'API processes on this host (node:cluster); more than one needs `SMSGATE_REDIS_URL`',
  }),
  databaseUrl: setting({
    name: 'SMSGATE_DATABASE_URL',
    read: url('postgres:', 'postgresql:'),
    fallback: undefined,
    description: '`postgres://...`: use PostgreSQL instead of SQLite',
  }),
  redisUrl: setting({
    name: 'SMSGATE_REDIS_URL',
    read: url('redis:', 'rediss:'),
    fallback: undefined,
    description: '`redis://...`: keep the limits in Redis, shared by every instance',
  }),
  /** Prepended to every Redis key, so several gateways (or tests) can share one Redis. */
  redisPrefix: setting({
    name: 'SMSGATE_REDIS_PREFIX',
    read: text,
    fallback: 'smsgate:',
    description: 'prefix of every Redis key (limits, bind leases), so several gateways can share one Redis',
  }),
  /** How long a dispatcher's claim on a message lasts; a killed dispatcher's work waits this long. */
  claimLeaseMs: setting({
    name: 'SMSGATE_CLAIM_LEASE_MS',
    read: integer(1_000, 3_600_000),
    fallback: '30000',
    description: "how long a dispatcher holds a claimed message (at least `1000`); a killed dispatcher's messages go to another after it",
  }),
  /** SIGTERM: how long a stop may take before the process exits anyway. */
  shutdownTimeoutMs: setting({
    name: 'SMSGATE_SHUTDOWN_TIMEOUT_MS',
    read: integer(1_000, 600_000),
    fallback: '5000',
    description:
      'on SIGTERM/SIGINT: requests in flight are answered and binds unbound within this; submits still unanswered after half of it are queued again (retried), never lost',
  }),
  retentionDays: setting({
    name: 'SMSGATE_RETENTION_DAYS',
    read: integer(1, 3650),
    fallback: '30',
    description: 'finished messages older than this are deleted',
  }),
  idempotencyTtlS: setting({
    name: 'SMSGATE_IDEMPOTENCY_TTL_S',
    read: integer(1, 3650 * 86400),
    fallback: '86400',
    shownDefault: '`86400` (24 h)',
    description:
      'how long a send\'s `Idempotency-Key` stands for it: a repeat within this gets the same `sms_uid` ([docs/api.md](docs/api.md#idempotency-key)); at most `SMSGATE_RETENTION_DAYS`',
  }),
  receiptHoldMs: setting({
    name: 'SMSGATE_RECEIPT_HOLD_MS',
    read: integer(0, 600_000),
    fallback: String(DEFAULT_RECEIPT_HOLD_MS),
    description:
      "how long a receipt whose id reads as two open messages waits for its connection's id style to be learned ([docs/carriers.md](docs/carriers.md)); it is acknowledged to the SMSC only once applied or dropped",
  }),
  receiptQueryAfterS: setting({
    name: 'SMSGATE_RECEIPT_QUERY_AFTER_S',
    read: integer(1, 30 * 86400),
    fallback: '600',
    description: 'a message this long in `sent` without its final receipt is asked about with `query_sm`',
  }),
  /** Tests and on-premise receivers: callbacks may go to loopback and private addresses. */
  callbackAllowPrivate: setting({
    name: 'SMSGATE_CALLBACK_ALLOW_PRIVATE',
    read: trueFalse,
    fallback: 'false',
    description:
      '`true`: a callback URL may reach a loopback, private, link-local or other non-public address (tests, on-premise receivers); `false`: such a URL is refused when set and again when sent',
  }),
  callbackBatchMax: setting({
    name: 'SMSGATE_CALLBACK_BATCH_MAX',
    read: integer(1, 10_000),
    fallback: '100',
    description: 'most events of one client in one callback request ([docs/callbacks.md](docs/callbacks.md))',
  }),
  callbackLingerMs: setting({
    name: 'SMSGATE_CALLBACK_LINGER_MS',
    read: integer(0, 60_000),
    fallback: '200',
    description: 'how long new events wait for others to share their callback request',
  }),
  callbackTimeoutMs: setting({
    name: 'SMSGATE_CALLBACK_TIMEOUT_MS',
    read: integer(100, 600_000),
    fallback: '10000',
    description: 'a callback request not answered in this time failed and is retried',
  }),
  callbackMaxAgeS: setting({
    name: 'SMSGATE_CALLBACK_MAX_AGE_S',
    read: integer(1, 30 * 86400),
    fallback: '86400',
    description: 'an event not acknowledged this long after it became owed is kept as dead (`smsgate callback failures`, `smsgate callback retry`)',
  }),
  callbackConcurrency: setting({
    name: 'SMSGATE_CALLBACK_CONCURRENCY',
    read: integer(1, 256),
    fallback: '4',
    description: 'callback requests in flight per URL, per dispatcher process (keep-alive connections)',
  }),
};

export type Settings = typeof SETTINGS;

/** The default of a setting as README's table shows it. */
export function shownDefault(s: Setting<unknown>): string {
  return s.shownDefault ?? (s.fallback === undefined ? '(unset)' : `\`${s.fallback}\``);
}
