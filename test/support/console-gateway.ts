import { freePort, postJson, startServe, tempDir, type ServeProcess } from './cli.js';

/** A real gateway (`smsgate serve`) for the console: its admin port, token and sample client. */
export interface ConsoleGateway {
  readonly serve: ServeProcess;
  readonly consoleUrl: string;
  readonly adminUrl: string;
  readonly adminToken: string;
  readonly sample: { client_id: string; passcode: string; templet_id: string };
  /** Sends through the public API, `parallel` at a time; returns the sms_uids and numbers in order. */
  send(count: number, options?: { parallel?: number; firstNumber?: number }): Promise<{ smsUid: string; phone: string }[]>;
  close(): Promise<void>;
}

export const CONSOLE_ADMIN_TOKEN = 'console-e2e-admin-token-0123456789';

export async function startConsoleGateway(env: Record<string, string> = {}): Promise<ConsoleGateway> {
  const tmp = tempDir('smsgate-console-');
  const adminPort = await freePort();
  const serve = await startServe(
    {
      SMSGATE_DB: `${tmp.dir}/smsgate.db`,
      SMSGATE_ADMIN_PORT: String(adminPort),
      SMSGATE_ADMIN_TOKEN: CONSOLE_ADMIN_TOKEN,
      SMSGATE_LOG_LEVEL: 'warn',
      // Distinct numbers anyway; no window so a rerun on one number is not refused.
      SMSGATE_PER_NUMBER_INTERVAL_S: '0',
      ...env,
    },
    { args: ['--json'] },
  );
  const announced = JSON.parse((await serve.waitForStdout(/^\{.*\}\n/m, 10_000))[0]) as {
    sample: { client_id: string; passcode: string; templet_id: string };
  };
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  return {
    serve,
    adminUrl,
    consoleUrl: `${adminUrl}/console/`,
    adminToken: CONSOLE_ADMIN_TOKEN,
    sample: announced.sample,
    async send(count, { parallel = 20, firstNumber = 0 } = {}) {
      const sent: { smsUid: string; phone: string }[] = new Array(count);
      let next = 0;
      const worker = async () => {
        while (next < count) {
          const i = next++;
          const phone = `1380${String(firstNumber + i).padStart(7, '0')}`;
          const answer = await postJson(`${serve.url}/api/sms/v1/sendsms`, {
            client_id: announced.sample.client_id,
            passcode: announced.sample.passcode,
            phone_number: phone,
            templet_id: announced.sample.templet_id,
            contents: [{ p1: String(1000 + (i % 9000)) }],
          });
          if (answer.status !== 200) throw new Error(`send ${i} answered ${answer.status}: ${JSON.stringify(answer.json)}`);
          sent[i] = { smsUid: (answer.json as { sms_uid: string }).sms_uid, phone };
        }
      };
      await Promise.all(Array.from({ length: parallel }, worker));
      return sent;
    },
    async close() {
      await serve.stop();
      tmp.cleanup();
    },
  };
}
