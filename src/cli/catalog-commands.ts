import type { Command } from 'commander';
import { validateClientId } from '../domain/client-id.js';
import { GatewayError } from '../domain/errors.js';
import { generatePasscode, hashPasscode } from '../domain/passcode.js';
import { validateTemplateDefinition } from '../domain/template.js';
import type { Store } from '../store/store.js';
import { isoTime, type Output } from './output.js';

export type WithStore = (json: boolean, work: (store: Store, out: Output) => Promise<void>) => Promise<void>;

/** `smsgate client ...` and `smsgate template ...`: the catalog, on the same database as the server. */
export function addCatalogCommands(program: Command, withStore: WithStore): void {
  const client = program.command('client').description('manage API clients');
  client
    .command('add <client_id>')
    .description('create a client and print its passcode (shown only this once)')
    .option('--json', 'print one JSON object')
    .action((clientId: string, opts: { json?: boolean }) =>
      withStore(!!opts.json, async (store, out) => {
        validateClientId(clientId);
        const passcode = generatePasscode();
        await store.addClient(clientId, hashPasscode(clientId, passcode), Date.now());
        out.result({ client_id: clientId, passcode }, `client ${clientId}\npasscode ${passcode}\n(shown only this once)`);
      }),
    );
  client
    .command('list')
    .description('list clients')
    .option('--json', 'print one JSON object')
    .action((opts: { json?: boolean }) =>
      withStore(!!opts.json, async (store, out) => {
        const clients = (await store.listClients()).map((c) => ({
          client_id: c.clientId,
          enabled: c.enabled,
          created_at: isoTime(c.createdAt),
        }));
        const lines = clients.map((c) => `${c.client_id}\t${c.enabled ? 'enabled' : 'disabled'}\t${c.created_at}`);
        out.result({ clients }, lines.length > 0 ? lines.join('\n') : '(no clients)');
      }),
    );
  client
    .command('rotate <client_id>')
    .description('give a client a new passcode; the old one stops working')
    .option('--json', 'print one JSON object')
    .action((clientId: string, opts: { json?: boolean }) =>
      withStore(!!opts.json, async (store, out) => {
        const passcode = generatePasscode();
        await store.setClientPasscodeHash(clientId, hashPasscode(clientId, passcode));
        out.result({ client_id: clientId, passcode }, `client ${clientId}\npasscode ${passcode}\n(shown only this once)`);
      }),
    );
  for (const [name, enabled] of [['disable', false], ['enable', true]] as const) {
    client
      .command(`${name} <client_id>`)
      .description(`${name} a client`)
      .option('--json', 'print one JSON object')
      .action((clientId: string, opts: { json?: boolean }) =>
        withStore(!!opts.json, async (store, out) => {
          await store.setClientEnabled(clientId, enabled);
          out.result({ client_id: clientId, enabled }, `client ${clientId} ${name}d`);
        }),
      );
  }

  const template = program.command('template').description('manage message templates');
  template
    .command('add <templet_id>')
    .description('add a template; ${name} marks a placeholder')
    .requiredOption('--text <body>', 'the template text')
    .option('--client <client_id>', 'only this client may use it (default: any client)')
    .option('--json', 'print one JSON object')
    .action((templetId: string, opts: { text: string; client?: string; json?: boolean }) =>
      withStore(!!opts.json, async (store, out) => {
        validateTemplateDefinition(templetId, opts.text);
        const clientId = opts.client ?? null;
        if (clientId !== null && !(await store.listClients()).some((c) => c.clientId === clientId)) {
          throw new GatewayError('CLIENT_NOT_FOUND', `no client ${clientId}`);
        }
        await store.addTemplate({ templetId, body: opts.text, clientId });
        out.result({ templet_id: templetId, text: opts.text, client_id: clientId }, `template ${templetId} added`);
      }),
    );
  template
    .command('list')
    .description('list templates')
    .option('--json', 'print one JSON object')
    .action((opts: { json?: boolean }) =>
      withStore(!!opts.json, async (store, out) => {
        const templates = (await store.listTemplates()).map((t) => ({ templet_id: t.templetId, text: t.body, client_id: t.clientId }));
        const lines = templates.map((t) => `${t.templet_id}\t${t.client_id ?? '(any client)'}\t${t.text}`);
        out.result({ templates }, lines.length > 0 ? lines.join('\n') : '(no templates)');
      }),
    );
  template
    .command('remove <templet_id>')
    .description('remove a template')
    .option('--json', 'print one JSON object')
    .action((templetId: string, opts: { json?: boolean }) =>
      withStore(!!opts.json, async (store, out) => {
        if (!(await store.removeTemplate(templetId))) {
          throw new GatewayError('TEMPLATE_NOT_FOUND', `no template with templet_id "${templetId}"`);
        }
        out.result({ templet_id: templetId, removed: true }, `template ${templetId} removed`);
      }),
    );
}
