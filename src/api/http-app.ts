import Fastify, { LogController, type FastifyBaseLogger, type FastifyBodyParser, type FastifyError, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import { GatewayError } from '../domain/errors.js';
import { ClosingGate } from './closing-gate.js';
import { handleError, sendGatewayError } from './error-handler.js';
import { createHttpServer, type HttpLimits } from './http-server.js';
import { parseJsonBody } from './json-body.js';
import { clientErrorAnswerer } from './raw-answers.js';
import { recordRouteMethods } from './route-methods.js';
import type { TrustProxy } from '../config/trust-proxy.js';

export interface HttpAppOptions {
  readonly logger: Logger;
  readonly limits: HttpLimits;
  /** Whose X-Forwarded-For is believed for `request.ip` (SMSGATE_TRUST_PROXY). */
  readonly trustProxy: TrustProxy;
}

export interface HttpApp {
  readonly app: FastifyInstance;
  /** Closes connections while the server shuts down; route groups ask it too. */
  readonly gate: ClosingGate;
}

/**
 * The HTTP edge without routes: one Fastify instance whose limits, body parsing, error handling,
 * 404 and 405 every route group shares. The public port and the admin port are each one.
 */
export function buildHttpApp({ logger, limits, trustProxy }: HttpAppOptions): HttpApp {
  // Typed as Fastify's logger, so that the instance keeps Fastify's default logger type parameter.
  const loggerInstance: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance,
    bodyLimit: limits.maxBodyBytes,
    // request.ip, which passcode guessing is counted by, is the forwarded client only when the
    // peer is a trusted proxy; anyone else could pick a fresh address per guess.
    trustProxy: fastifyTrustProxy(trustProxy),
    serverFactory: (handler) => createHttpServer(limits, handler, logger),
    // What Node's parser rejects (not HTTP, headers too large, too slow) and a URL the router
    // cannot decode get the same JSON error body as everything else, not Node's or Fastify's.
    clientErrorHandler: clientErrorAnswerer(logger),
    frameworkErrors: (error, request, reply) => {
      gate.closeIfClosing(reply);
      handleError(error, request, reply);
    },
    // One log line per request would cost more than the request; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request: nothing logs per request, and creating one costs each of them.
    childLoggerFactory: (parent) => parent,
    // A wrongly typed field is an error, not something to coerce.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    // Fastify's own 503 has its own body shape; ours is in ClosingGate.
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const gate = new ClosingGate();
  app.addHook('preClose', async () => gate.close());
  const allowedMethods = recordRouteMethods(app);

  // The body is JSON whatever the Content-Type says: people paste the document's sample into
  // `curl -d`, which labels it as a form.
  app.removeAllContentTypeParsers();
  const jsonBody: FastifyBodyParser<Buffer> = (request, body, done) => {
    // Only a request that has a route reads its body: an unknown path is 404 and another
    // method 405 whatever the body holds.
    if (request.is404) {
      done(null, undefined);
      return;
    }
    try {
      done(null, parseJsonBody(body));
    } catch (error) {
      done(error as GatewayError, undefined);
    }
  };
  // The same parser twice: Fastify remembers which parser a named type takes, while the
  // catch-all's Content-Type is parsed anew on every request.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, jsonBody);
  app.addContentTypeParser('*', { parseAs: 'buffer' }, jsonBody);

  app.setErrorHandler((error, request, reply) => {
    gate.closeIfClosing(reply);
    handleError(error as FastifyError, request, reply);
  });
  app.setNotFoundHandler((request, reply) => {
    gate.closeIfClosing(reply);
    const path = request.url.split('?')[0]!;
    const allow = allowedMethods(path);
    if (allow !== undefined) {
      void reply.header('allow', allow);
      sendGatewayError(new GatewayError('METHOD_NOT_ALLOWED', `${path} takes ${allow} only`), request, reply);
      return;
    }
    sendGatewayError(new GatewayError('ROUTE_NOT_FOUND', `no such resource: ${request.method} ${request.url.slice(0, 200)}`), request, reply);
  });

  return { app, gate };
}

/** Fastify's types leave out the hop count its `trustProxy` takes: the same rule as a function. */
function fastifyTrustProxy(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return typeof trust === 'boolean' ? trust : [...trust];
}
