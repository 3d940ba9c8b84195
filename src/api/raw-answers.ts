import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorCode } from '../domain/errors.js';
import { errorBody, HTTP_STATUS_BY_CODE } from './error-mapping.js';

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

/** What a parse failure of Node's (llhttp) means to a client. */
function clientErrorAnswer(error: NodeJS.ErrnoException): string {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return rawErrorResponse('REQUEST_TIMEOUT', 'the request was not received in time');
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return rawErrorResponse('HEADERS_TOO_LARGE', 'the request headers are too large');
  }
  return rawErrorResponse('INVALID_REQUEST', 'the request is not valid HTTP/1.1');
}

/**
 * The server's `clientError` answer. As Node does, nothing is written once a response to this
 * connection has started: that would corrupt it.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  answerAndClose(socket, clientErrorAnswer(error));
}
