import type { Command } from 'commander';
import { GatewayError } from '../domain/errors.js';
import { CATALOG_PICKUP_MS } from '../services/catalog-cache.js';
import { CallbackService, deadCallbackEventJson } from '../services/callback-service.js';
import type { CatalogService, CallbackSettings } from '../services/catalog-service.js';
import { CALLBACK_FLAG_REFRESH_MS } from '../store/postgres/callback-events.js';
import type { Output } from './output.js';
import type { WithStore } from './with-store.js';

type WithCatalog = (json: boolean, needsDatabase: boolean, work: (catalog: CatalogService, out: Output) => Promise<void>) => Promise<void>;

/**
 * Said after a callback change: the gateway picks it up without a restart, once its catalog
 * cache and (over PostgreSQL) its "any callback URL?" flag have been re-read.
 */
const CALLBACK_PICKUP_NOTE = `(a running gateway applies this within ${Math.max(CATALOG_PICKUP_MS, CALLBACK_FLAG_REFRESH_MS) / 1000} s)`;

function settingsText(set: CallbackSettings): string {
  return [
    `client ${set.clientId}`,
    `callback_url ${set.callbackUrl}`,
    `events ${set.events}`,
    `callback_secret ${set.callbackSecret}`,
    '(the secret is shown only this once: receivers verify the Smsgate-Signature header with it)',
    CALLBACK_PICKUP_NOTE,
  ].join('\n');
}

/** `smsgate client callback <client_id> --url <url> [--events all|final]` and `--clear`. */
export function addClientCallbackCommand(client: Command, withCatalog: WithCatalog): void {
  client
    .command('callback <client_id>')
    .description("set where the client's status callbacks go (a new signing secret, shown only this once), or --clear them")
    .option('--url <url>', 'http(s) URL that receives the POSTed events')
    .option('--events <which>', '`all`: every status change after queuing; `final`: only the final one', 'all')
    .option('--clear', 'remove the callback')
    .option('--json', 'print one JSON object')
    .action((clientId: string, opts: { url?: string; events: string; clear?: boolean; json?: boolean }) =>
      withCatalog(!!opts.json, true, async (catalog, out) => {
        if (opts.clear) {
          if (opts.url !== undefined) throw new GatewayError('INVALID_REQUEST', 'give either --url or --clear, not both');
          await catalog.clearCallback(clientId);
          out.result({ client_id: clientId, callback_url: null }, `client ${clientId}: callback removed\n${CALLBACK_PICKUP_NOTE}`);
          return;
        }
        if (opts.url === undefined) throw new GatewayError('INVALID_REQUEST', 'give --url <url> (or --clear)');
        const set = await catalog.setCallback(clientId, { url: opts.url, events: opts.events });
        out.result(
          { client_id: set.clientId, callback_url: set.callbackUrl, events: set.events, callback_secret: set.callbackSecret },
          settingsText(set),
        );
      }),
    );
}

/** `smsgate callback failures` and `smsgate callback retry`: events whose tries ran out. */
export function addCallbackCommands(program: Command, withStore: WithStore): void {
  const callback = program.command('callback').description('status callbacks that could not be delivered');
  callback
    .command('failures')
    .description('list dead callback events (tries ran out), oldest first')
    .option('--client <client_id>', "only this client's")
    .option('--limit <n>', 'at most this many', '1000')
    .option('--json', 'print one JSON object')
    .action((opts: { client?: string; limit: string; json?: boolean }) =>
      withStore({ json: !!opts.json, needsDatabase: true }, async (store, out) => {
        const limit = Number(opts.limit);
        const dead = await new CallbackService(store).failures(opts.client === undefined ? { limit } : { clientId: opts.client, limit });
        const events = dead.map(deadCallbackEventJson);
        const lines = events.map((e) => `${e.event_id}\t${e.client_id}\t${e.status}\tattempts ${e.attempts}\tdied ${e.died_at}\t${e.last_error}`);
        out.result({ events }, lines.length > 0 ? lines.join('\n') : '(no dead callback events)');
      }),
    );
  callback
    .command('retry')
    .description('send dead callback events again (they are owed anew, from now)')
    .option('--client <client_id>', "only this client's")
    .option('--json', 'print one JSON object')
    .action((opts: { client?: string; json?: boolean }) =>
      withStore({ json: !!opts.json, needsDatabase: true }, async (store, out) => {
        const { revived } = await new CallbackService(store).retry(opts.client === undefined ? {} : { clientId: opts.client });
        out.result({ revived }, `${revived} dead callback event(s) owed again: a running gateway sends them`);
      }),
    );
}
