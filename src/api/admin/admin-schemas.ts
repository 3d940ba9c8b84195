import { Type } from 'typebox';
import { MAX_PAGE_SIZE } from '../../services/message-lookup-service.js';
import { MESSAGE_STATUSES, ERROR_STATUSES } from '../../domain/message-status.js';
import { ErrorReply } from '../schemas.js';

/** Request and answer shapes of the admin API (/admin/v1), the source of its OpenAPI document. */

const Time = Type.String({ format: 'date-time', examples: ['2026-12-03T10:00:00.000Z'] });
const NullableTime = Type.Union([Time, Type.Null()]);
const Status = Type.String({ enum: [...MESSAGE_STATUSES] });

export const ClientIdParams = Type.Object({ id: Type.String({ examples: ['cookpad_Server_001'] }) });
export const TemplateIdParams = Type.Object({ id: Type.String({ examples: ['t1'] }) });
export const SmsUidParams = Type.Object({ sms_uid: Type.String({ examples: ['0193a5c2-7d4e-7b1a-9c3f-5e2d8a6b4c10'] }) });

const CallbackEvents = Type.String({ enum: ['all', 'final'], description: 'all: every change after queuing; final: the final status only' });

export const Client = Type.Object({
  client_id: Type.String(),
  enabled: Type.Boolean(),
  created_at: NullableTime,
  callback_url: Type.Union([Type.String(), Type.Null()], { description: 'where its status callbacks go; null: none' }),
  events: Type.Union([CallbackEvents, Type.Null()]),
});
export const PatchedClient = Type.Intersect([
  Client,
  Type.Object({
    callback_secret: Type.Optional(
      Type.String({ description: 'only when this request set callback_url: the key callbacks are signed with, shown this once' }),
    ),
  }),
]);
export const ClientList = Type.Object({ clients: Type.Array(Client) });
export const NewClientBody = Type.Object({ client_id: Type.String({ examples: ['shop_server_01'] }) });
export const ClientCredentials = Type.Object({
  client_id: Type.String(),
  passcode: Type.String({ description: 'shown only this once; stored as a hash', examples: ['ARDOR-7JF3-8F2E-QUWZ-CAN7F'] }),
});
export const ClientPatchBody = Type.Object({
  enabled: Type.Optional(Type.Boolean({ description: 'false: its sends and queries are refused (403); its messages stay' })),
  callback_url: Type.Optional(
    Type.Union([Type.String(), Type.Null()], {
      description: 'https URL its status callbacks are POSTed to (a new signing secret is answered once); null: no more callbacks',
      examples: ['https://shop.example/sms-status'],
    }),
  ),
  callback_events: Type.Optional(CallbackEvents),
});

export const Template = Type.Object({
  templet_id: Type.String(),
  text: Type.String(),
  client_id: Type.Union([Type.String(), Type.Null()], { description: 'null: any client may use it' }),
});
export const TemplateList = Type.Object({ templates: Type.Array(Template) });
export const NewTemplateBody = Type.Object({
  templet_id: Type.String({ examples: ['login_code'] }),
  text: Type.String({ description: '${name} marks a placeholder', examples: ['Your code is ${code}.'] }),
  client_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export const PreviewBody = Type.Object({
  contents: Type.Union([Type.String(), Type.Array(Type.Object({})), Type.Object({})], {
    description: "the values, as sendsms's contents takes them",
    examples: [[{ p1: '8888' }]],
  }),
});
export const TextPreviewBody = Type.Object({
  text: Type.String({ description: 'a template text, ${name} marking a placeholder: checked as POST /templates checks it', examples: ['Your code is ${code}.'] }),
  contents: PreviewBody.properties.contents,
});
export const Preview = Type.Object({
  text: Type.String(),
  encoding: Type.Union([Type.Literal('GSM-7'), Type.Literal('UCS-2')]),
  characters: Type.Integer(),
  parts: Type.Integer({ description: 'SMS parts it is sent as' }),
});

export const Message = Type.Object({
  sms_uid: Type.String(),
  client_id: Type.String(),
  templet_id: Type.String(),
  phone_number: Type.String({ description: 'E.164' }),
  text: Type.String(),
  status: Status,
  error_code: Type.String(),
  part_count: Type.Integer(),
  attempts: Type.Integer(),
  queued_at: NullableTime,
  sent_at: NullableTime,
  done_at: NullableTime,
});
export const MessageDetail = Type.Intersect([
  Message,
  Type.Object({
    history: Type.Array(Type.Object({ status: Status, at: Time }), { description: 'every status it reached, with its time' }),
    parts: Type.Array(
      Type.Object({
        part_no: Type.Integer(),
        carrier_message_id: Type.String({ description: 'as the SMSC answered the submit' }),
        status: Status,
        error_code: Type.String(),
        connection: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
    callbacks: Type.Array(
      Type.Object({
        event_id: Type.String(),
        status: Status,
        sequence: Type.Integer(),
        state: Type.Union([Type.Literal('delivered'), Type.Literal('owed'), Type.Literal('dead')], {
          description: 'delivered: the receiver acknowledged it; owed: being tried; dead: tries ran out (`smsgate callback retry` revives it)',
        }),
        attempts: Type.Integer({ description: 'tries made: all failed while owed or dead; the last one succeeded once delivered' }),
        last_error: Type.Union([Type.String(), Type.Null()], { description: 'the error of the last failed try, if any' }),
        next_attempt_at: Type.Union([Time, Type.Null()], { description: 'owed: when it is tried next; otherwise null' }),
        died_at: Type.Union([Time, Type.Null()], { description: 'dead: when its tries ran out; otherwise null' }),
        delivered_at: Type.Union([Time, Type.Null()], { description: 'delivered: when the receiver acknowledged it; otherwise null' }),
      }),
      { description: 'its status callback events, delivered, owed or dead, kept as long as the message is' },
    ),
  }),
]);
export const MessageQuery = Type.Object({
  phone_number: Type.Optional(Type.String({ description: 'E.164, or national in SMSGATE_DEFAULT_REGION' })),
  client_id: Type.Optional(Type.String()),
  status: Type.Optional(Status),
  since: Type.Optional(Type.String({ description: 'accepted at or after: ISO 8601 time or epoch milliseconds' })),
  until: Type.Optional(Type.String({ description: 'accepted before: ISO 8601 time or epoch milliseconds' })),
  limit: Type.Optional(Type.String({ description: `page size, 1 to ${MAX_PAGE_SIZE} (default 50)` })),
  cursor: Type.Optional(Type.String({ description: "the previous page's next_cursor" })),
});
export const MessagePage = Type.Object({
  messages: Type.Array(Message),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' }),
});
export const StatsQuery = Type.Object({ window: Type.Optional(Type.String({ enum: ['1m', '1h', '24h'], default: '1h' })) });
export const Stats = Type.Object({
  window: Type.String(),
  accepted: Type.Integer({ description: 'messages accepted in the window' }),
  sent: Type.Integer({ description: 'of those, how many reached the SMSC' }),
  delivered: Type.Integer({ description: 'of those, how many are delivered' }),
  errors: Type.Object(Object.fromEntries(ERROR_STATUSES.map((status) => [status, Type.Integer()]))),
  queue_depth: Type.Object({
    queuing: Type.Integer({ description: 'waiting to be sent, now' }),
    sent: Type.Integer({ description: 'sent, awaiting their final receipt, now' }),
  }),
});

const Count = Type.Integer({ minimum: 0 });
export const Live = Type.Object({
  at: Time,
  metrics_enabled: Type.Boolean({ description: 'false with SMSGATE_METRICS=off: every counter is then 0' }),
  accepted_total: Type.Integer({ description: 'sendsms requests accepted since this process started' }),
  rejected_total: Type.Integer({ description: 'sendsms requests refused since this process started' }),
  delivered_total: Type.Integer({ description: 'messages this process saw reach delivered' }),
  errors_total: Type.Integer({ description: 'messages this process saw reach an error_* status' }),
  statuses_total: Type.Object(Object.fromEntries(MESSAGE_STATUSES.map((status) => [status, Count])), { description: 'times each status was reached' }),
  accept_latency_seconds: Type.Object(
    {
      buckets: Type.Array(Type.Object({ le: Type.Union([Type.Number(), Type.Literal('+Inf')]), count: Count }), { description: 'cumulative, as Prometheus keeps them' }),
      count: Count,
      sum: Type.Number(),
    },
    { description: 'time to answer an accepted sendsms: diff two snapshots for a rate or a percentile' },
  ),
  queue: Type.Object({
    queuing: Type.Integer({ description: 'waiting to be sent, now (the whole store)' }),
    awaiting_receipt: Type.Integer({ description: 'sent, awaiting their final receipt, now (the whole store)' }),
  }),
  binds: Type.Array(
    Type.Object({
      connection: Type.String(),
      bind: Type.String({ description: 'kind and slot, e.g. transceiver-0' }),
      status: Type.String({ enum: ['connecting', 'bound', 'refused', 'stopped'] }),
      up: Type.Boolean(),
      since: NullableTime,
      reason: Type.Union([Type.String(), Type.Null()], { description: "the SMSC's refusal (ESME_RINVPASWD), or why the last session ended" }),
    }),
    { description: "this process's binds; [] where it does not dispatch" },
  ),
  recent_errors: Type.Array(
    Type.Object({
      at: Time,
      kind: Type.Union([Type.Literal('bind'), Type.Literal('message')]),
      connection: Type.Optional(Type.String()),
      sms_uid: Type.Optional(Type.String()),
      client_id: Type.Optional(Type.String()),
      status: Type.Optional(Status),
      detail: Type.String(),
    }),
    { description: 'the latest errors, newest first: binds down now, and messages that ended in error' },
  ),
});

/** The answers every admin route may give besides its own: the public API's error shape. */
export const ADMIN_ERRORS = {
  400: ErrorReply,
  401: ErrorReply,
  403: { ...ErrorReply, description: 'a change with the console cookie without X-Smsgate-Console: 1, or from another origin' },
  404: ErrorReply,
  503: ErrorReply,
  '5xx': ErrorReply,
};
