import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import { GatewayError } from '../domain/errors.js';
import { errorBody } from './error-mapping.js';
import { handleError } from './error-handler.js';
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
    // A wrongly typed field is an error, not something to coerce.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    // Fastify's own 503 has its own body shape; ours is below.
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // While shutting down: requests under way are answered, each with `Connection: close`, so
  // that no keep-alive connection holds the shutdown open; a request that still arrives on
  // one is turned away in the contract's shape.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    void reply.header('retry-after', '1').status(503);
    void reply.send(errorBody(503, 'the gateway is shutting down; try again'));
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });

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

  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    // Methods without a route of their own (TRACE, SEARCH, ...) on an API path are still 405.
    const path = request.url.split('?')[0];
    if (path === SEND_PATH || path === QUERY_PATH) {
      void reply.header('allow', 'POST').status(405).send(errorBody(405, `${path} takes POST only`));
      return;
    }
    void reply.status(404).send(errorBody(404, `no such resource: ${request.method} ${request.url.slice(0, 200)}`));
  });

  const responses = { 200: SmsStatusReply, '4xx': ErrorReply, '5xx': ErrorReply };
  app.post(SEND_PATH, { schema: { body: SendSmsBody, response: responses } }, (request) => service.send(request.body));
  app.post(QUERY_PATH, { schema: { body: QuerySmsBody, response: responses } }, (request) => service.query(request.body));

  for (const url of [SEND_PATH, QUERY_PATH]) {
    app.route({
      method: [...OTHER_METHODS],
      url,
      handler: (_request, reply) => {
        void reply.header('allow', 'POST').status(405).send(errorBody(405, `${url} takes POST only`));
      },
    });
  }
  return app;
}
