import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { QueryService } from '../services/query-service.js';
import type { SendService } from '../services/send-service.js';
import type { ErrorCode } from '../domain/errors.js';
import type { ClosingGate } from './closing-gate.js';
import { errorCodeOf } from './error-handler.js';
import { ErrorReply, QuerySmsBody, SendSmsBody, SmsStatusReply } from './schemas.js';

export const SEND_PATH = '/api/sms/v1/sendsms';
export const QUERY_PATH = '/api/sms/v1/querysms';

export interface PublicRoutesOptions {
  readonly send: Pick<SendService, 'send'>;
  readonly query: Pick<QueryService, 'query'>;
  readonly gate: ClosingGate;
  /** Told of every sendsms answered: accepted (and how long it took) or rejected (by code). */
  readonly sendObserver?: SendObserver;
}

/** What metrics hear of the send path; the API itself imports no metrics library. */
export interface SendObserver {
  accepted(seconds: number): void;
  rejected(code: ErrorCode): void;
}

/** The contract's two endpoints (../shared/seed/sms-api.txt), POST only. */
export const publicRoutes: FastifyPluginAsyncTypebox<PublicRoutesOptions> = async (app, { send, query, gate, sendObserver }) => {
  const responses = { 200: SmsStatusReply, '4xx': ErrorReply, '5xx': ErrorReply };
  app.post(
    SEND_PATH,
    {
      schema: { body: SendSmsBody, response: responses },
      // Every error of this route, its body's validation included, passes here before it is answered.
      onError: async (request, _reply, error) => sendObserver?.rejected(errorCodeOf(error, request)),
    },
    async (request, reply) => {
      gate.refuseIfClosing();
      const started = sendObserver ? performance.now() : 0;
      const status = await send.send(request.body, request.ip);
      // Metrics off: an optional call evaluates no argument, so not even the clock is read.
      sendObserver?.accepted((performance.now() - started) / 1000);
      gate.closeIfClosing(reply);
      return status;
    },
  );
  app.post(QUERY_PATH, { schema: { body: QuerySmsBody, response: responses } }, async (request, reply) => {
    gate.refuseIfClosing();
    const status = await query.query(request.body, request.ip);
    gate.closeIfClosing(reply);
    return status;
  });
};
