import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { AdminTokenService } from '../services/admin-token-service.js';
import type { WithStore } from './with-store.js';

/** `smsgate admin token rotate`: a new admin API token, on the same database as the server. */
export function addAdminCommands(program: Command, withStore: WithStore): void {
  const admin = program.command('admin').description('the admin listener (docs/admin.md)');
  const token = admin.command('token').description("the admin API's bearer token");
  token
    .command('rotate')
    .description('make a new admin token and print it (shown only this once); the old one stops working at once')
    .option('--json', 'print one JSON object')
    .action((opts: { json?: boolean }) =>
      withStore({ json: !!opts.json, needsDatabase: false }, async (store, out) => {
        const rotated = await new AdminTokenService(store, loadConfig(process.env).adminToken).rotate();
        out.result({ admin_token: rotated }, `admin token ${rotated}\n(shown only this once; running gateways take it at once)`);
      }),
    );
}
