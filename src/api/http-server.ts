import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { errorBody, HTTP_STATUS_BY_CODE } from './error-mapping.js';
import { answerAndClose, rawErrorResponse } from './raw-answers.js';
import { throttledLog } from './throttled-log.js';

/** What one connection may cost the server (README "Configuration", SMSGATE_HTTP_*). */
export interface HttpLimits {
  readonly headersTimeoutMs: number;
  /** Receiving the whole request; the time its handler takes is not counted. */
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxConnections: number;
  readonly maxHeaders: number;
  readonly maxHeaderBytes: number;
  readonly maxBodyBytes: number;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Node's HTTP server with the limits set, for Fastify's `serverFactory`. What happens before a
 * request reaches Fastify is answered here, in the gateway's JSON error shape.
 */
export function createHttpServer(limits: HttpLimits, handler: Handler, logger: Logger): Server {
  const refused = new WeakSet<Socket>();
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      // Node looks for expired requests on this beat: a fraction of the timeout keeps it precise.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
    },
    (request, response) => {
      // Already answered 503 when it connected; its request must not be served.
      if (refused.has(request.socket)) return;
      // Node stops reading header lines past maxHeadersCount and says nothing: one more than the
      // limit is read, so a request over it is told so instead of losing, say, its Content-Length.
      if (request.rawHeaders.length > limits.maxHeaders * 2) {
        answerResponse(response, 'HEADERS_TOO_LARGE', `a request may have at most ${limits.maxHeaders} header lines`);
        return;
      }
      handler(request, response);
    },
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxHeadersCount = limits.maxHeaders + 1;
  // Without it, a client that half-closes after sending its request (a shell's `nc -N`, some
  // proxies) is never answered although the send is accepted, and retries: two codes.
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;

  const maxConnections = connectionCap(limits.maxConnections, logger);
  const warnRefused = throttledLog(logger, 'warn', (count) => [
    { refused: count, maxConnections },
    `refused ${count} HTTP connection(s): ${maxConnections} are open (SMSGATE_HTTP_MAX_CONNECTIONS)`,
  ]);
  let open = 0;
  server.prependListener('connection', (socket: Socket) => {
    if (open >= maxConnections) {
      refused.add(socket);
      warnRefused();
      answerAndClose(socket, rawErrorResponse('TOO_MANY_CONNECTIONS', 'the gateway has too many open connections; try again', { 'retry-after': '1' }));
      return;
    }
    open += 1;
    socket.once('close', () => (open -= 1));
  });
  server.on('connect', (_request: IncomingMessage, socket: Socket) => {
    answerAndClose(socket, rawErrorResponse('METHOD_NOT_ALLOWED', 'CONNECT is not supported'));
  });
  return server;
}

/** Descriptors kept for what is not HTTP: the database, SMPP binds, Redis, logs. */
const RESERVED_FILES = 64;

/**
 * The cap, lowered to what the open-file limit allows: past it, accept() fails and every new
 * connection is reset, with nothing logged. Read once at start.
 */
function connectionCap(configured: number, logger: Logger): number {
  const report = process.report?.getReport() as { userLimits?: { open_files?: { soft?: number | string } } } | undefined;
  const soft = report?.userLimits?.open_files?.soft;
  if (typeof soft !== 'number' || configured <= soft - RESERVED_FILES) return configured;
  const cap = Math.max(1, soft - RESERVED_FILES);
  logger.warn(
    { configured, openFileLimit: soft, maxConnections: cap },
    `SMSGATE_HTTP_MAX_CONNECTIONS=${configured} is more than the open-file limit (ulimit -n ${soft}) allows: at most ${cap} HTTP connections; raise the limit to allow more`,
  );
  return cap;
}

function answerResponse(response: ServerResponse, code: keyof typeof HTTP_STATUS_BY_CODE, message: string): void {
  const status = HTTP_STATUS_BY_CODE[code];
  const body = JSON.stringify(errorBody(status, message));
  response.shouldKeepAlive = false;
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
