import type { Command } from 'commander';
import { CATALOG_PICKUP_MS } from '../services/catalog-cache.js';
import { CatalogService, type ClientCredentials } from '../services/catalog-service.js';
import { clientView, templateView } from '../services/operator-views.js';
import type { Output } from './output.js';
import type { WithStore } from './with-store.js';

/** Said after every catalog change: nobody needs to restart the gateway for it. */
const PICKUP_NOTE = `(a running gateway applies this within ${CATALOG_PICKUP_MS / 1000} s)`;

function credentialsText({ clientId, passcode }: ClientCredentials): string {
  return `client ${clientId}\npasscode ${passcode}\n(shown only this once)\n${PICKUP_NOTE}`;
}

/** `smsgate client ...` and `smsgate template ...`: the catalog, on the same database as the server. */
export function addCatalogCommands(program: Command, withStore: WithStore): void {
  /** A command on the catalog: `needsDatabase` for all but those that may start a new one. */
  const withCatalog = (json: boolean, needsDatabase: boolean, work: (catalog: CatalogService, out: Output) => Promise<void>) =>
    withStore({ json, needsDatabase }, (store, out) => work(new CatalogService(store), out));

  const client = program.command('client').description('manage API clients');
  client
    .command('add <client_id>')
    .description('create a client and print its passcode (shown only this once)')
    .option('--json', 'print one JSON object')
    .action((clientId: string, opts: { json?: boolean }) =>
      withCatalog(!!opts.json, false, async (catalog, out) => {
        const added = await catalog.addClient(clientId);
        out.result({ client_id: added.clientId, passcode: added.passcode }, credentialsText(added));
      }),
    );
  client
    .command('list')
    .description('list clients')
    .option('--json', 'print one JSON object')
    .action((opts: { json?: boolean }) =>
      withCatalog(!!opts.json, true, async (catalog, out) => {
        const clients = (await catalog.listClients()).map(clientView);
        const lines = clients.map((c) => `${c.client_id}\t${c.enabled ? 'enabled' : 'disabled'}\t${c.created_at}`);
        out.result({ clients }, lines.length > 0 ? lines.join('\n') : '(no clients)');
      }),
    );
  client
    .command('rotate <client_id>')
    .description('give a client a new passcode; the old one stops working')
    .option('--json', 'print one JSON object')
    .action((clientId: string, opts: { json?: boolean }) =>
      withCatalog(!!opts.json, true, async (catalog, out) => {
        const rotated = await catalog.rotatePasscode(clientId);
        out.result({ client_id: rotated.clientId, passcode: rotated.passcode }, credentialsText(rotated));
      }),
    );
  for (const [name, enabled] of [['disable', false], ['enable', true]] as const) {
    client
      .command(`${name} <client_id>`)
      .description(`${name} a client`)
      .option('--json', 'print one JSON object')
      .action((clientId: string, opts: { json?: boolean }) =>
        withCatalog(!!opts.json, true, async (catalog, out) => {
          await catalog.setClientEnabled(clientId, enabled);
          out.result({ client_id: clientId, enabled }, `client ${clientId} ${name}d\n${PICKUP_NOTE}`);
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
      withCatalog(!!opts.json, false, async (catalog, out) => {
        const added = await catalog.addTemplate({ templetId, body: opts.text, clientId: opts.client ?? null });
        out.result(templateView(added), `template ${templetId} added\n${PICKUP_NOTE}`);
      }),
    );
  template
    .command('list')
    .description('list templates')
    .option('--json', 'print one JSON object')
    .action((opts: { json?: boolean }) =>
      withCatalog(!!opts.json, true, async (catalog, out) => {
        const templates = (await catalog.listTemplates()).map(templateView);
        const lines = templates.map((t) => `${t.templet_id}\t${t.client_id ?? '(any client)'}\t${t.text}`);
        out.result({ templates }, lines.length > 0 ? lines.join('\n') : '(no templates)');
      }),
    );
  template
    .command('remove <templet_id>')
    .description('remove a template')
    .option('--json', 'print one JSON object')
    .action((templetId: string, opts: { json?: boolean }) =>
      withCatalog(!!opts.json, true, async (catalog, out) => {
        await catalog.removeTemplate(templetId);
        out.result({ templet_id: templetId, removed: true }, `template ${templetId} removed\n${PICKUP_NOTE}`);
      }),
    );
}
