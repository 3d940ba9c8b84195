import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCarrierConfig, parseCarrierConfig } from '../../src/carrier/smpp/smpp-config.js';
import { GatewayError } from '../../src/domain/errors.js';

const minimal = { name: 'a', host: 'smsc.example', port: 2775, system_id: 'me', password: 'pw' };

function errorOf(doc: unknown): string {
  try {
    parseCarrierConfig(doc);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('INVALID_CONFIG');
    return (error as Error).message;
  }
  throw new Error('accepted an invalid config');
}

describe('carrier config', () => {
  it('fills documented defaults', () => {
    const [c] = parseCarrierConfig({ connections: [minimal] }).connections;
    expect(c).toMatchObject({
      tls: false,
      bindMode: 'transceiver',
      binds: 1,
      window: 10,
      maxSubmitsPerSecond: 0,
      enquireLinkIntervalMs: 30_000,
      responseTimeoutMs: 10_000,
      prefixes: [],
    });
  });

  it('asks the SMSC at most 5 query_sm per second unless told otherwise', () => {
    expect(parseCarrierConfig({ connections: [minimal] }).connections[0]!.querySmPerSecond).toBe(5);
    expect(parseCarrierConfig({ connections: [{ ...minimal, query_sm_per_second: 0 }] }).connections[0]!.querySmPerSecond).toBe(0);
  });

  it.each([
    [{ connections: [{ ...minimal, window: 0 }] }, 'connections[0].window must be an integer from 1 to 100000'],
    [{ connections: [{ ...minimal, query_sm_per_second: -1 }] }, 'connections[0].query_sm_per_second must be an integer from 0 to 1000'],
    [{ connections: [{ ...minimal, windw: 5 }] }, 'connections[0].windw is not a known key'],
    [{ connections: [{ ...minimal, host: undefined }] }, 'connections[0].host is required'],
    [{ connections: [{ ...minimal, bind_mode: 'tx' }] }, 'connections[0].bind_mode must be'],
    [{ connections: [{ ...minimal, password: 'muchtoolong' }] }, 'connections[0].password must be at most 8'],
    [{ connections: [{ ...minimal, prefixes: ['44'] }] }, 'connections[0].prefixes[0] must be "+" followed by digits'],
    [{ connections: [{ ...minimal, prefixes: ['+44'] }] }, 'connections need a default route'],
    [{ connections: [minimal, minimal] }, 'connections[1].name "a" is used twice'],
    [{ connections: [] }, 'connections must be a non-empty array'],
    [{ carriers: [] }, 'carriers is not a known key'],
  ])('refuses %j with one line naming the key', (doc, expected) => {
    const message = errorOf(doc);
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });

  it('never puts the password in an error', () => {
    expect(errorOf({ connections: [{ ...minimal, password: 'sekret-too-long' }] })).not.toContain('sekret');
  });

  it('defaults to the built-in simulator when SMSGATE_CARRIERS is unset', () => {
    const { connections } = loadCarrierConfig(undefined, 40123);
    expect(connections).toHaveLength(1);
    expect(connections[0]).toMatchObject({ host: '127.0.0.1', port: 40123, systemId: 'smsgate', password: 'smsgate' });
  });

  it('reads the file SMSGATE_CARRIERS names, and says when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smsgate-'));
    const path = join(dir, 'carriers.json');
    writeFileSync(path, JSON.stringify({ connections: [{ ...minimal, window: 500, max_submits_per_second: 0 }] }));
    expect(loadCarrierConfig(path).connections[0]!.window).toBe(500);
    writeFileSync(path, '{ nope');
    expect(() => loadCarrierConfig(path)).toThrow(/is not valid JSON/);
    expect(() => loadCarrierConfig(join(dir, 'missing.json'))).toThrow(/cannot read/);
  });
});
