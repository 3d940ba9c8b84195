import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import { GatewayError } from '../domain/errors.js';
import { handleError, sendGatewayError } from './error-handler.js';
import { ErrorReply, QuerySmsBody, SendSmsBody, SmsStatusReply } from './schemas.js';
import type { SendService } from './send-service.js';

export const SEND_PATH = '/api/sms/v1/sendsms';
export const QUERY_PATH = '/api/sms/v1/querysms';
const BODY_LIMIT = 16 * 1024;
const OTHER_METHODS = ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

export interface ApiDeps {
  readonly service: SendService;
  readonly logger: Logger;
}

export function buildApi({ service, logger }: ApiDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    // One log line per request would cost more than the request; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request: nothing logs per request, and creating one costs each of them.
    childLoggerFactory: (parent) => parent,
    // A wrongly typed field is an error, not something to coerce.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    // Fastify's own 503 has its own body shape; ours is below.
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // While shutting down: answers go out with `Connection: close`, so that no keep-alive
  // connection holds the shutdown open, and a request that still arrives is turned away.
  // Checked in the handlers rather than in hooks: a hook costs every request.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  const closeIfClosing = (reply: FastifyReply): void => {
    if (closing) void reply.header('connection', 'close');
  };
  const refuseIfClosing = (): void => {
    if (closing) throw new GatewayError('SHUTTING_DOWN', 'the gateway is shutting down; try again', { retryAfterS: 1 });
  };

  // The body is JSON whatever the Content-Type says: people paste the document's sample into
  // `curl -d`, which labels it as a form.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    // Only a POST to an API path reads its body: an unknown path is 404 and another method 405
    // whatever the body holds.
    if (request.is404 || request.method !== 'POST') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new GatewayError('INVALID_REQUEST', 'the request body is not valid JSON'), undefined);
    }
  });

  app.setErrorHandler((error, request, reply) => {
    closeIfClosing(reply);
    handleError(error as FastifyError, request, reply);
  });
  const rejectMethod = (request: FastifyRequest, reply: FastifyReply, path: string): void => {
    void reply.header('allow', 'POST');
    sendGatewayError(new GatewayError('METHOD_NOT_ALLOWED', `${path} takes POST only`), request, reply);
  };
  app.setNotFoundHandler((request, reply) => {
    closeIfClosing(reply);
    // Methods without a route of their own (TRACE, SEARCH, ...) on an API path are still 405.
    const path = request.url.split('?')[0]!;
    if (path === SEND_PATH || path === QUERY_PATH) return rejectMethod(request, reply, path);
    sendGatewayError(new GatewayError('ROUTE_NOT_FOUND', `no such resource: ${request.method} ${request.url.slice(0, 200)}`), request, reply);
  });

  const responses = { 200: SmsStatusReply, '4xx': ErrorReply, '5xx': ErrorReply };
  app.post(SEND_PATH, { schema: { body: SendSmsBody, response: responses } }, async (request, reply) => {
    refuseIfClosing();
    const status = await service.send(request.body);
    closeIfClosing(reply);
    return status;
  });
  app.post(QUERY_PATH, { schema: { body: QuerySmsBody, response: responses } }, async (request, reply) => {
    refuseIfClosing();
    const status = await service.query(request.body);
    closeIfClosing(reply);
    return status;
  });

  for (const url of [SEND_PATH, QUERY_PATH]) {
    app.route({
      method: [...OTHER_METHODS],
      url,
      handler: (request, reply) => rejectMethod(request, reply, url),
    });
  }
  return app;
}
