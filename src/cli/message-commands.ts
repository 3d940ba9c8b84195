import type { Command } from 'commander';
import { GatewayError } from '../domain/errors.js';
import { isoTime } from './output.js';
import type { WithStore } from './with-store.js';

/** `smsgate message show <sms_uid>`: one message with its text, number, client and status times. */
export function addMessageCommands(program: Command, withStore: WithStore): void {
  const message = program.command('message').description('look at messages');
  message
    .command('show <sms_uid>')
    .description('show a message, its status and the time of each status change')
    .option('--json', 'print one JSON object')
    .action((smsUid: string, opts: { json?: boolean }) =>
      withStore({ json: !!opts.json, needsDatabase: true }, async (store, out) => {
        const m = await store.getMessage(smsUid);
        if (!m) throw new GatewayError('MESSAGE_NOT_FOUND', `no message with sms_uid "${smsUid}"`);
        const view = {
          sms_uid: m.smsUid,
          client_id: m.clientId,
          templet_id: m.templetId,
          phone_number: m.phoneNumber,
          text: m.text,
          status: m.status,
          error_code: m.errorCode,
          part_count: m.partCount,
          attempts: m.attempts,
          queued_at: isoTime(m.createdAt),
          sent_at: isoTime(m.sentAt),
          done_at: isoTime(m.doneAt),
        };
        const human = Object.entries(view)
          .map(([key, value]) => `${key.padEnd(13)} ${value ?? '-'}`)
          .join('\n');
        out.result(view, human);
      }),
    );
}
