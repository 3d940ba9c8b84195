import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { ErrorCode } from '../domain/errors.js';
import { errorBody, HTTP_STATUS_BY_CODE } from './error-mapping.js';
import { throttledLog } from './throttled-log.js';

/**
 * Answers written straight to a socket, for what never becomes a request Fastify sees: bytes
 * that are not HTTP, headers too large, a request not received in time, CONNECT, a connection
 * over the cap. Same JSON body as every other error, and the connection is closed after it.
 */
export function rawErrorResponse(code: ErrorCode, message: string, headers: Record<string, string> = {}): string {
  const status = HTTP_STATUS_BY_CODE[code];
  const body = JSON.stringify(errorBody(status, message));
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
    `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
    `${extra}connection: close\r\n\r\n${body}`
  );
}

/** Sends `response` and closes, without waiting for a client that never closes its side. */
export function answerAndClose(socket: Duplex, response: string): void {
  if (socket.writable) socket.end(response);
  // Once written, nothing more is owed: a client that keeps its side open must not keep the descriptor.
  if (socket.writableFinished) socket.destroy();
  else socket.once('finish', () => socket.destroy());
}

type ClientErrorKind = 'timeout' | 'headers' | 'malformed';

/** What a parse failure of Node's (llhttp) means to a client. */
function clientErrorKind(error: NodeJS.ErrnoException): ClientErrorKind {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'timeout';
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'headers';
  return 'malformed';
}

const ANSWERS: Record<ClientErrorKind, string> = {
  timeout: rawErrorResponse('REQUEST_TIMEOUT', 'the request was not received in time'),
  headers: rawErrorResponse('HEADERS_TOO_LARGE', 'the request headers are too large'),
  malformed: rawErrorResponse('INVALID_REQUEST', 'the request is not valid HTTP/1.1'),
};

const LOG_LINES: Record<ClientErrorKind, (count: number) => string> = {
  timeout: (count) => `closed ${count} connection(s) that did not send their request in time (SMSGATE_HTTP_HEADERS_TIMEOUT_MS, SMSGATE_HTTP_REQUEST_TIMEOUT_MS)`,
  headers: (count) => `refused ${count} request(s) with headers over SMSGATE_HTTP_MAX_HEADER_BYTES`,
  malformed: (count) => `closed ${count} connection(s) that did not speak HTTP/1.1`,
};

/**
 * The server's `clientError` answer, counted in the log. As Node does, nothing is written once a
 * response on this connection has started: that would corrupt it.
 */
export function clientErrorAnswerer(logger: Logger): (error: NodeJS.ErrnoException, socket: Duplex) => void {
  const logs = Object.fromEntries(
    (Object.keys(LOG_LINES) as ClientErrorKind[]).map((kind) => [kind, throttledLog(logger, 'info', (count) => [{ count }, LOG_LINES[kind](count)])]),
  ) as Record<ClientErrorKind, () => void>;
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const kind = clientErrorKind(error);
    logs[kind]();
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    answerAndClose(socket, ANSWERS[kind]);
  };
}
