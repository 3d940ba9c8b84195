import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type DestinationStream } from 'pino';
import { composeGateway, type RunningGateway } from '../../src/compose/compose-gateway.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { generatePasscode, hashPasscode } from '../../src/domain/passcode.js';
import type { Store } from '../../src/store/store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export interface TestGateway {
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  readonly gateway: RunningGateway;
  readonly dir: string;
  /** Creates a client straight in the store and returns its passcode. */
  addClient(clientId: string): Promise<string>;
  addTemplate(templetId: string, body: string, clientId?: string | null): Promise<void>;
  post(path: string, body: unknown, init?: RequestInit): Promise<{ status: number; headers: Headers; json: any }>;
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  /** Where the gateway's pino logs go (default: stdout); set SMSGATE_LOG_LEVEL in `env` to see any. */
  readonly logDestination?: DestinationStream;
  /** Puts a wrapper (e.g. one that fails on demand) between the gateway and the SQLite store. */
  readonly wrapStore?: (store: Store) => Store;
}

/**
 * The real gateway in this process on a random port, over a fresh SQLite file. `env` overrides
 * settings exactly as the environment would.
 */
export async function startTestGateway(env: Record<string, string> = {}, options: TestGatewayOptions = {}): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'smsgate-test-'));
  const config: Config = loadConfig({
    SMSGATE_PORT: '0',
    SMSGATE_HOST: '127.0.0.1',
    SMSGATE_ADMIN_PORT: '0',
    SMSGATE_DB: join(dir, 'smsgate.db'),
    SMSGATE_SIM_DLR_MS: '50',
    SMSGATE_LOG_LEVEL: 'silent',
    // Tests run the TypeScript sources, which a worker thread cannot load: dispatch in-process.
    SMSGATE_DISPATCH_THREAD: 'off',
    ...env,
  });
  const sqlite = SqliteStore.open(config.dbPath);
  const store = options.wrapStore ? options.wrapStore(sqlite) : sqlite;
  const logger = options.logDestination ? pino({ level: config.logLevel }, options.logDestination) : pino({ level: config.logLevel });
  const gateway = await composeGateway(config, logger, { store });
  const url = `http://127.0.0.1:${gateway.port}`;
  return {
    url,
    port: gateway.port!,
    store,
    gateway,
    dir,
    async addClient(clientId) {
      const passcode = generatePasscode();
      await store.addClient(clientId, hashPasscode(clientId, passcode), Date.now());
      await gateway.refreshCatalog();
      return passcode;
    },
    async addTemplate(templetId, body, clientId = null) {
      await store.addTemplate({ templetId, body, clientId });
      await gateway.refreshCatalog();
    },
    async post(path, body, init = {}) {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
        ...init,
      });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return { status: response.status, headers: response.headers, json };
    },
    async close() {
      await gateway.close();
      await store.close(); // opened here, so closed here, after the gateway that used it
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
