#!/usr/bin/env node
import { Command, Option } from 'commander';
import type { Logger } from 'pino';
import { loadConfig, type Config } from '../config/config.js';
import { addAdminCommands } from './admin-commands.js';
import { addCatalogCommands } from './catalog-commands.js';
import { createLogger } from '../config/logger.js';
import { addMessageCommands } from './message-commands.js';
import { createOutput, reportFailure } from './output.js';
import { ROLES, type Role } from '../config/roles.js';
import { serve } from './serve.js';
import { runSimulator } from './simulator-command.js';
import { withStore } from './with-store.js';

const program = new Command('smsgate')
  .description('SMS gateway: templated one-time codes over HTTP, delivered over SMPP')
  .showHelpAfterError();

/** Starts a long-running service; a failure to start ends the process with its exit code. */
async function runService(json: boolean, start: (config: Config, logger: Logger) => Promise<void>): Promise<void> {
  try {
    const config = loadConfig(process.env);
    await start(config, createLogger(config.logLevel));
  } catch (error) {
    process.exit(reportFailure(error, json));
  }
}

program
  .command('serve')
  .description('run the gateway (HTTP API and dispatcher)')
  .addOption(new Option('--role <role>', 'api: HTTP only; dispatcher: carrier delivery only; all: both').choices(ROLES).default('all'))
  .option('--json', 'once running, print one JSON object (port, role, the sample client on a first start)')
  .option('--sample', 'create the sample client and template on an empty database on PostgreSQL too (SQLite: always)')
  .action((opts: { role: Role; json?: boolean; sample?: boolean }) =>
    runService(!!opts.json, (config, logger) => serve(config, logger, { role: opts.role, json: !!opts.json, sample: !!opts.sample })),
  );

program
  .command('simulator')
  .description('run the built-in SMSC simulator alone (SMPP 3.4 server; see docs/simulator.md)')
  .option('--json', 'once listening, print one JSON object (host, port, system_id)')
  .action((opts: { json?: boolean }) =>
    runService(!!opts.json, (config, logger) => runSimulator(config, logger, createOutput(!!opts.json))),
  );

program
  .command('migrate')
  .description('bring the database schema up to date (serve does it too, on start)')
  .option('--json', 'print one JSON object')
  .action((opts: { json?: boolean }) =>
    withStore({ json: !!opts.json, needsDatabase: false }, async (_store, out) => {
      out.result({ migrated: true }, 'the database schema is up to date');
    }),
  );

addCatalogCommands(program, withStore);
addMessageCommands(program, withStore);
addAdminCommands(program, withStore);

await program.parseAsync(process.argv);
