import { describe, expect, it } from 'vitest';
import { GatewayError } from '../domain/errors.js';
import { loadConfig } from './config.js';

describe('settings from the environment', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.dbPath).toBe('./data/smsgate.db');
    expect(config.perNumberIntervalS).toBe(60);
    expect(config.sendRatePerS).toBe(80_000);
    expect(config.queryRatePerS).toBe(1000);
    expect(config.defaultRegion).toBe('CN');
  });

  it('reads each variable', () => {
    const config = loadConfig({
      SMSGATE_PORT: '9090',
      SMSGATE_DB: '/tmp/x.db',
      SMSGATE_PER_NUMBER_INTERVAL_S: '5',
      SMSGATE_SEND_RATE: '10',
      SMSGATE_QUERY_RATE: '20',
      SMSGATE_DEFAULT_REGION: 'us',
    });
    expect(config).toMatchObject({ port: 9090, dbPath: '/tmp/x.db', perNumberIntervalS: 5, sendRatePerS: 10, queryRatePerS: 20, defaultRegion: 'US' });
  });

  it('reads the simulator settings and the carriers file path', () => {
    expect(loadConfig({})).toMatchObject({
      simulatorHost: '127.0.0.1',
      simulatorPort: undefined,
      simulatorDlrMs: 500,
      simulatorSystemId: 'smsgate',
      simulatorPassword: 'smsgate',
      simulatorJournal: undefined,
      carriersPath: undefined,
    });
    const config = loadConfig({
      SMSGATE_SIM_HOST: '0.0.0.0',
      SMSGATE_SIM_PORT: '2776',
      SMSGATE_SIM_DLR_MS: '20',
      SMSGATE_SIM_SYSTEM_ID: 'acct',
      SMSGATE_SIM_PASSWORD: 'pw',
      SMSGATE_SIM_JOURNAL: '/tmp/j.db',
      SMSGATE_CARRIERS: '/etc/carriers.json',
    });
    expect(config).toMatchObject({
      simulatorHost: '0.0.0.0',
      simulatorPort: 2776,
      simulatorDlrMs: 20,
      simulatorSystemId: 'acct',
      simulatorPassword: 'pw',
      simulatorJournal: '/tmp/j.db',
      carriersPath: '/etc/carriers.json',
    });
  });

  it('is plain data that survives the copy to the dispatch thread', () => {
    const config = loadConfig({ SMSGATE_CARRIERS: '/etc/carriers.json', SMSGATE_SIM_PORT: '0' });
    expect(structuredClone(config)).toEqual(config);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ SMSGATE_PORT: '', SMSGATE_DB: ' ' })).toMatchObject({ port: 8080, dbPath: './data/smsgate.db' });
  });

  it.each([
    ['SMSGATE_PORT', 'http'],
    ['SMSGATE_PORT', '70000'],
    ['SMSGATE_PER_NUMBER_INTERVAL_S', '-1'],
    ['SMSGATE_PER_NUMBER_INTERVAL_S', '1.5'],
    ['SMSGATE_PER_NUMBER_LIMITS', '1/60s,5/1w'],
    ['SMSGATE_PER_NUMBER_LIMITS', '5 per hour'],
    ['SMSGATE_SEND_RATE', '0'],
    ['SMSGATE_QUERY_RATE', 'many'],
    ['SMSGATE_DEFAULT_REGION', 'ZZ'],
    ['SMSGATE_SIM_PORT', '65536'],
    ['SMSGATE_SIM_DLR_MS', 'soon'],
    ['SMSGATE_DISPATCH_THREAD', 'yes'],
  ])('rejects %s=%j naming it', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('INVALID_CONFIG');
    expect((error as GatewayError).message).toContain(name);
  });
});

describe('HTTP limits', () => {
  it('a headers timeout longer than the request timeout is refused, naming both', () => {
    const bad = () => loadConfig({ SMSGATE_HTTP_HEADERS_TIMEOUT_MS: '40000', SMSGATE_HTTP_REQUEST_TIMEOUT_MS: '30000' });
    expect(bad).toThrow(GatewayError);
    expect(bad).toThrow(/SMSGATE_HTTP_HEADERS_TIMEOUT_MS.*SMSGATE_HTTP_REQUEST_TIMEOUT_MS/);
    expect(loadConfig({ SMSGATE_HTTP_HEADERS_TIMEOUT_MS: '30000' }).httpHeadersTimeoutMs).toBe(30000);
  });
});

describe('Idempotency-Key', () => {
  it('a key may not outlive the retention of the message it stands for', () => {
    expect(loadConfig({}).idempotencyTtlS).toBe(86400);
    const bad = () => loadConfig({ SMSGATE_IDEMPOTENCY_TTL_S: String(2 * 86400 + 1), SMSGATE_RETENTION_DAYS: '2' });
    expect(bad).toThrow(GatewayError);
    expect(bad).toThrow(/SMSGATE_IDEMPOTENCY_TTL_S.*SMSGATE_RETENTION_DAYS/);
    expect(loadConfig({ SMSGATE_IDEMPOTENCY_TTL_S: String(2 * 86400), SMSGATE_RETENTION_DAYS: '2' }).idempotencyTtlS).toBe(2 * 86400);
  });
});
