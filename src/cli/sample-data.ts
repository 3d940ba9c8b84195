import { generatePasscode, hashPasscode } from '../domain/passcode.js';
import type { CatalogStore } from '../store/catalog-store.js';

export const SAMPLE_CLIENT_ID = 'cookpad_Server_001';
export const SAMPLE_TEMPLATE = {
  templetId: 't1',
  body: 'Dear Member , your auth code is ${code}. The code will expire in 60 seconds. Have a good time! [Cookpad]',
  clientId: null,
};

/**
 * On the first start with an empty database: the sample client and template of the API
 * document, so that the document's curl works after one command. Returns the passcode (shown
 * once, stored only as a hash) or undefined when the database was not empty.
 */
export async function createSampleData(store: CatalogStore, now: number): Promise<string | undefined> {
  const [clients, templates] = await Promise.all([store.listClients(), store.listTemplates()]);
  if (clients.length > 0 || templates.length > 0) return undefined;
  const passcode = generatePasscode();
  await store.addClient(SAMPLE_CLIENT_ID, hashPasscode(SAMPLE_CLIENT_ID, passcode), now);
  await store.addTemplate(SAMPLE_TEMPLATE);
  return passcode;
}

/** The document's sample send, ready to paste. */
export function sampleCurl(passcode: string, port: number): string {
  const send = JSON.stringify({
    client_id: SAMPLE_CLIENT_ID,
    passcode,
    phone_number: '13800138000',
    templet_id: SAMPLE_TEMPLATE.templetId,
    contents: [{ p1: '8888' }],
  });
  return `curl -s http://127.0.0.1:${port}/api/sms/v1/sendsms -d '${send}'`;
}

/** The secrets a first start made, each shown this once; undefined where none was made. */
export interface FirstStart {
  readonly samplePasscode: string | undefined;
  readonly adminToken: string | undefined;
}

/**
 * What `serve --json` prints once it runs: one object; the sample and the admin token only on
 * the start that created them.
 */
export function startedJson(role: string, ports: { port: number | undefined; adminPort: number | undefined }, firstStart: FirstStart): object {
  const { port, adminPort } = ports;
  const passcode = firstStart.samplePasscode;
  const sample =
    passcode === undefined || port === undefined
      ? null
      : { client_id: SAMPLE_CLIENT_ID, passcode, templet_id: SAMPLE_TEMPLATE.templetId, curl: sampleCurl(passcode, port) };
  return { status: 'running', role, port: port ?? null, admin_port: adminPort ?? null, sample, admin_token: firstStart.adminToken ?? null };
}

/** The generated admin token, shown once, with a request that uses it. */
export function adminTokenBanner(token: string, adminPort: number | undefined): string {
  const lines = [
    'smsgate: first start, generated the admin API token (SMSGATE_ADMIN_TOKEN sets your own instead).',
    `  admin token: ${token}   (shown only this once; "smsgate admin token rotate" makes a new one)`,
  ];
  if (adminPort !== undefined) {
    lines.push('List the clients with the admin API:', `  curl -s -H 'Authorization: Bearer ${token}' http://127.0.0.1:${adminPort}/admin/v1/clients`);
  }
  return `${[...lines, ''].join('\n')}\n`;
}

export function sampleBanner(passcode: string, port: number): string {
  const url = `http://127.0.0.1:${port}`;
  return [
    '',
    'smsgate: first start, created the sample client and template of the API document.',
    `  client_id: ${SAMPLE_CLIENT_ID}`,
    `  passcode:  ${passcode}   (shown only this once; "smsgate client rotate ${SAMPLE_CLIENT_ID}" makes a new one)`,
    `  template:  ${SAMPLE_TEMPLATE.templetId} = ${SAMPLE_TEMPLATE.body}`,
    '',
    'Send the sample message:',
    `  ${sampleCurl(passcode, port)}`,
    'Then ask for its status with the sms_uid it answers:',
    `  curl -s ${url}/api/sms/v1/querysms -d '{"client_id":"${SAMPLE_CLIENT_ID}","passcode":"${passcode}","sms_uid":"<sms_uid>"}'`,
    '',
  ].join('\n');
}
