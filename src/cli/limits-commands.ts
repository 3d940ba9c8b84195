import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import type { BlockedEntry } from '../domain/blocklist.js';
import type { ClientLimitSettings } from '../domain/client-limits.js';
import { BlocklistService } from '../services/blocklist-service.js';
import { CATALOG_PICKUP_MS } from '../services/catalog-cache.js';
import { ClientLimitsService, type ClientLimitChanges } from '../services/client-limits-service.js';
import type { WithStore } from './with-store.js';

const PICKUP_NOTE = `(a running gateway applies this within ${CATALOG_PICKUP_MS / 1000} s)`;

interface LimitOptions {
  rate?: string;
  daily?: string;
  countries?: string;
  countryCap?: string;
  sender?: string;
  json?: boolean;
}

/** `none` clears a limit. */
const orNone = (value: string): string | null => (value.trim().toLowerCase() === 'none' ? null : value);

function changesOf(opts: LimitOptions): ClientLimitChanges {
  const changes: ClientLimitChanges = {};
  if (opts.rate !== undefined) changes.rate = orNone(opts.rate);
  if (opts.daily !== undefined) {
    const daily = orNone(opts.daily);
    // Not a whole number: NaN, which the service refuses with the rule.
    changes.dailyQuota = daily === null ? null : /^\d+$/.test(daily.trim()) ? Number(daily) : Number.NaN;
  }
  if (opts.countries !== undefined) changes.countries = orNone(opts.countries);
  if (opts.countryCap !== undefined) changes.countryCap = orNone(opts.countryCap);
  if (opts.sender !== undefined) changes.sender = orNone(opts.sender);
  return changes;
}

function limitsJson(clientId: string, limits: ClientLimitSettings) {
  return {
    client_id: clientId,
    rate: limits.rate,
    daily: limits.dailyQuota,
    countries: limits.countries,
    country_cap: limits.countryCap,
    sender: limits.sender,
  };
}

function limitsText(clientId: string, limits: ClientLimitSettings): string {
  const shown = (value: string | number | null, unset: string) => (value === null ? unset : String(value));
  return [
    `client ${clientId}`,
    `rate ${shown(limits.rate, '(none)')}`,
    `daily ${shown(limits.dailyQuota, '(none)')}`,
    `countries ${shown(limits.countries, '(any)')}`,
    `country-cap ${shown(limits.countryCap, '(none)')}`,
    `sender ${shown(limits.sender, "(the connection's)")}`,
  ].join('\n');
}

const entryJson = (e: BlockedEntry) => ({ entry: e.entry, client_id: e.clientId });

/**
 * `smsgate client limits <client_id> [--rate ...]` (shows them without options) and
 * `smsgate blocklist add|remove|list`: the traffic limits of README's "Limits and abuse".
 */
export function addLimitsCommands(program: Command, withStore: WithStore): void {
  const client = program.commands.find((c) => c.name() === 'client') ?? program.command('client');
  client
    .command('limits <client_id>')
    .description("show or change a client's limits and sender; `none` clears one")
    .option('--rate <n/window>', 'accepted sends in any such window, e.g. 200/s')
    .option('--daily <n>', 'accepted sends per UTC day')
    .option('--countries <codes>', 'ISO codes it may send to, e.g. CN,HK,SG')
    .option('--country-cap <n/window>', 'accepted sends to one country in any such window, e.g. 500/1h')
    .option('--sender <source_addr>', 'SMPP sender: a name (COOKPAD), a short code or +number')
    .option('--json', 'print one JSON object')
    .action((clientId: string, opts: LimitOptions) =>
      withStore({ json: !!opts.json, needsDatabase: true }, async (store, out) => {
        const service = new ClientLimitsService(store);
        const changes = changesOf(opts);
        const changed = Object.keys(changes).length > 0;
        const limits = changed ? await service.change(clientId, changes) : await service.limitsOf(clientId);
        out.result(limitsJson(clientId, limits), limitsText(clientId, limits) + (changed ? `\n${PICKUP_NOTE}` : ''));
      }),
    );

  const blocklist = program.command('blocklist').description('numbers and prefixes no message goes to');
  const service = (store: Parameters<Parameters<WithStore>[1]>[0]) => new BlocklistService(store, loadConfig(process.env).defaultRegion);
  const scope = (clientId: string | undefined) => (clientId === undefined ? 'everyone' : `client ${clientId}`);
  blocklist
    .command('add <entry>')
    .description('block a phone number (any spelling) or a prefix like +88213')
    .option('--client <client_id>', "this client's sends only (default: everyone's)")
    .option('--json', 'print one JSON object')
    .action((entry: string, opts: { client?: string; json?: boolean }) =>
      withStore({ json: !!opts.json, needsDatabase: false }, async (store, out) => {
        const added = await service(store).add(entry, opts.client ?? null);
        const said = added.added ? 'blocked' : 'was blocked already';
        out.result({ ...entryJson(added), added: added.added }, `${added.entry} ${said} for ${scope(opts.client)}\n${PICKUP_NOTE}`);
      }),
    );
  blocklist
    .command('remove <entry>')
    .description('unblock a number or prefix')
    .option('--client <client_id>', "from this client's list (default: the global one)")
    .option('--json', 'print one JSON object')
    .action((entry: string, opts: { client?: string; json?: boolean }) =>
      withStore({ json: !!opts.json, needsDatabase: true }, async (store, out) => {
        const removed = await service(store).remove(entry, opts.client ?? null);
        out.result({ ...entryJson(removed), removed: true }, `${removed.entry} unblocked for ${scope(opts.client)}\n${PICKUP_NOTE}`);
      }),
    );
  blocklist
    .command('list')
    .description('list blocked numbers and prefixes')
    .option('--client <client_id>', "this client's entries only")
    .option('--json', 'print one JSON object')
    .action((opts: { client?: string; json?: boolean }) =>
      withStore({ json: !!opts.json, needsDatabase: true }, async (store, out) => {
        const entries = await service(store).list(opts.client);
        const lines = entries.map((e) => `${e.entry}\t${e.clientId ?? '(everyone)'}`);
        out.result({ entries: entries.map(entryJson) }, lines.length > 0 ? lines.join('\n') : '(no entries)');
      }),
    );
}
