import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IDEMPOTENCY_HEADER, parseIdempotencyKey } from '../domain/idempotency.js';
import type { QueryService } from '../services/query-service.js';
import type { SendService } from '../services/send-service.js';
import type { ClosingGate } from './closing-gate.js';
import { ErrorReply, QuerySmsBody, SendSmsBody, SmsStatusReply } from './schemas.js';

export const SEND_PATH = '/api/sms/v1/sendsms';
export const QUERY_PATH = '/api/sms/v1/querysms';

export interface PublicRoutesOptions {
  readonly send: Pick<SendService, 'send'>;
  readonly query: Pick<QueryService, 'query'>;
  readonly gate: ClosingGate;
}

/** The contract's two endpoints (../shared/seed/sms-api.txt), POST only. */
export const publicRoutes: FastifyPluginAsyncTypebox<PublicRoutesOptions> = async (app, { send, query, gate }) => {
  const responses = { 200: SmsStatusReply, '4xx': ErrorReply, '5xx': ErrorReply };
  app.post(SEND_PATH, { schema: { body: SendSmsBody, response: responses } }, async (request, reply) => {
    gate.refuseIfClosing();
    // Checked here, not by a header schema: a send without the header pays nothing for it.
    const key = request.headers[IDEMPOTENCY_HEADER];
    const status = await send.send(request.body, request.ip, key === undefined ? undefined : parseIdempotencyKey(key));
    gate.closeIfClosing(reply);
    return status;
  });
  app.post(QUERY_PATH, { schema: { body: QuerySmsBody, response: responses } }, async (request, reply) => {
    gate.refuseIfClosing();
    const status = await query.query(request.body, request.ip);
    gate.closeIfClosing(reply);
    return status;
  });
};
