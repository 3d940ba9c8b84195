import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { MessageLookupService } from '../services/message-lookup-service.js';
import { messageDetailView, statsView } from '../services/operator-views.js';
import type { WithStore } from './with-store.js';

/**
 * `smsgate message show <sms_uid>` and `smsgate stats`: the admin API's GET /messages/{sms_uid}
 * and GET /stats, through the same service and with the same JSON.
 */
export function addMessageCommands(program: Command, withStore: WithStore): void {
  const lookups = (store: ConstructorParameters<typeof MessageLookupService>[0]) => new MessageLookupService(store, loadConfig(process.env).defaultRegion);
  const message = program.command('message').description('look at messages');
  message
    .command('show <sms_uid>')
    .description('show a message, its status, the time of each status change and its parts')
    .option('--json', 'print one JSON object')
    .action((smsUid: string, opts: { json?: boolean }) =>
      withStore({ json: !!opts.json, needsDatabase: true }, async (store, out) => {
        const view = messageDetailView(await lookups(store).message(smsUid));
        const { history, parts, callbacks, ...fields } = view;
        const human = [
          ...Object.entries(fields).map(([key, value]) => `${key.padEnd(13)} ${value ?? '-'}`),
          ...history.map((change) => `${'history'.padEnd(13)} ${change.status} at ${change.at}`),
          ...parts.map((part) => `${'part'.padEnd(13)} ${part.part_no} ${part.carrier_message_id} ${part.status} ${part.connection ?? ''}`.trimEnd()),
          ...callbacks.map((event) => `${'callback'.padEnd(13)} ${event.status} ${callbackLine(event)}`),
        ].join('\n');
        out.result(view, human);
      }),
    );
  program
    .command('stats')
    .description('messages accepted in the last 1m, 1h or 24h by their status now, and the queue depth now')
    .option('--window <window>', '1m, 1h or 24h', '1h')
    .option('--json', 'print one JSON object')
    .action((opts: { window: string; json?: boolean }) =>
      withStore({ json: !!opts.json, needsDatabase: true }, async (store, out) => {
        const view = statsView(await lookups(store).stats(opts.window));
        const human = [
          `window      ${view.window}`,
          `accepted    ${view.accepted}`,
          `sent        ${view.sent}`,
          `delivered   ${view.delivered}`,
          ...Object.entries(view.errors).map(([status, count]) => `${status.padEnd(11)} ${count}`),
          `queuing now ${view.queue_depth.queuing}`,
          `sent now    ${view.queue_depth.sent} (awaiting their receipt)`,
        ].join('\n');
        out.result(view, human);
      }),
    );
}

type CallbackView = ReturnType<typeof messageDetailView>['callbacks'][number];

/** One callback event in words: delivered (when, after how many tries), owed (next try) or dead (when). */
function callbackLine(event: CallbackView): string {
  const error = event.last_error ? ` (last error: ${event.last_error})` : '';
  if (event.state === 'delivered') return `delivered at ${event.delivered_at}, ${event.attempts} ${event.attempts === 1 ? 'try' : 'tries'}${error}`;
  if (event.state === 'dead') return `dead since ${event.died_at}, ${event.attempts} failed tries${error}`;
  return `owed, ${event.attempts} failed tries${error}, next try at ${event.next_attempt_at}`;
}
