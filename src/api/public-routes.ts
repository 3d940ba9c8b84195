import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IDEMPOTENCY_HEADER, parseIdempotencyKey } from '../domain/idempotency.js';
import type { QueryService } from '../services/query-service.js';
import type { SendService } from '../services/send-service.js';
import { isGatewayError, type ErrorCode } from '../domain/errors.js';
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
  /** `refused`: the client and country of a refusal counted per both (a country cap). */
  rejected(code: ErrorCode, refused?: { clientId: string; country: string }): void;
}

const ERROR_MEANINGS: Record<number, string> = {
  400: 'Bad Request: invalid request format (a field missing or mistyped, an invalid phone number, contents that do not fit the template)',
  401: 'Unauthorized: client_id or passcode is wrong',
  403: 'Forbidden: the client is disabled, or the template belongs to another client',
  404: 'Not Found: no such template (sendsms) or message (querysms)',
  405: 'Method Not Allowed: POST only (Allow says so)',
  413: 'Payload Too Large: the body is larger than SMSGATE_HTTP_MAX_BODY_BYTES',
  429: 'Too Many Requests: a number, send, query or wrong-passcode limit; Retry-After says when to try again',
  500: 'Internal Server Error: the gateway had a problem; the request was not accepted',
  503: 'Service Unavailable: the database or the limits store is away, or the gateway is shutting down; Retry-After says when to try again',
};

/** Every error status a route answers, each with the error body and what it means. */
function errorAnswers(statuses: readonly number[]) {
  return Object.fromEntries(statuses.map((status) => [status, { ...ErrorReply, description: ERROR_MEANINGS[status] }]));
}

/** The contract's two endpoints (../shared/seed/sms-api.txt), POST only. */
export const publicRoutes: FastifyPluginAsyncTypebox<PublicRoutesOptions> = async (app, { send, query, gate, sendObserver }) => {
  const sendSchema = {
    summary: 'Send sms',
    description: 'One templated SMS. Per number: 1 send / SMSGATE_PER_NUMBER_INTERVAL_S (60 s); all clients: SMSGATE_SEND_RATE (80000/s).',
    body: SendSmsBody,
    response: { 200: SmsStatusReply, ...errorAnswers([400, 401, 403, 404, 405, 413, 429, 500, 503]) },
  };
  const querySchema = {
    summary: 'Query sms',
    description: 'The status of one SMS this client sent. All clients: SMSGATE_QUERY_RATE (1000/s).',
    body: QuerySmsBody,
    response: { 200: SmsStatusReply, ...errorAnswers([400, 401, 403, 404, 405, 413, 429, 500, 503]) },
  };
  app.post(
    SEND_PATH,
    {
      schema: sendSchema,
      // Every error of this route, its body's validation included, passes here before it is answered.
      onError: async (request, _reply, error) => sendObserver?.rejected(errorCodeOf(error, request), isGatewayError(error) ? error.refused : undefined),
    },
    async (request, reply) => {
      gate.refuseIfClosing();
      const started = sendObserver ? performance.now() : 0;
      // Checked here, not by a header schema: a send without the header pays nothing for it.
      const key = request.headers[IDEMPOTENCY_HEADER];
      const status = await send.send(request.body, request.ip, key === undefined ? undefined : parseIdempotencyKey(key));
      // Metrics off: an optional call evaluates no argument, so not even the clock is read.
      sendObserver?.accepted((performance.now() - started) / 1000);
      gate.closeIfClosing(reply);
      return status;
    },
  );
  app.post(QUERY_PATH, { schema: querySchema }, async (request, reply) => {
    gate.refuseIfClosing();
    const status = await query.query(request.body, request.ip);
    gate.closeIfClosing(reply);
    return status;
  });
};
