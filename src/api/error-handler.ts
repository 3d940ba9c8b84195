import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, isGatewayError, type ErrorCode } from '../domain/errors.js';
import { isStoreUnavailable, storeUnavailableError } from '../store/unavailable.js';
import { errorBody, HTTP_STATUS_BY_CODE } from './error-mapping.js';

/** A database outage fails every request: one warning a second says it, with the real error. */
const OUTAGE_LOG_INTERVAL_MS = 1_000;
const lastOutageLog = new WeakMap<object, number>();

function logStoreOutage(request: FastifyRequest, error: GatewayError): void {
  const now = Date.now();
  if (now - (lastOutageLog.get(request.log) ?? 0) < OUTAGE_LOG_INTERVAL_MS) return;
  lastOutageLog.set(request.log, now);
  request.log.warn({ code: error.code, err: error.cause ?? error }, 'the database is unavailable: answering 503');
}

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/** "phone_number is required", "phone_number must be string": the field a client got wrong. */
function describeValidation(issues: readonly ValidationIssue[]): string {
  const issue = issues[0];
  if (!issue) return 'the request body is invalid';
  if (issue.keyword === 'required') return `${String(issue.params.missingProperty)} is required`;
  const field = issue.instancePath.replace(/^\//, '').split('/')[0];
  if (!field) return 'the request body must be a JSON object';
  if (field === 'contents') return 'contents must be an array of objects, an object, or a string holding either as JSON';
  return `${field} ${issue.message ?? 'is invalid'}`;
}

/** Answers a GatewayError in the contract's shape; only unexpected ones are logged, as errors. */
export function sendGatewayError(error: GatewayError, request: FastifyRequest, reply: FastifyReply): void {
  const status = HTTP_STATUS_BY_CODE[error.code];
  if (error.retryAfterS !== undefined) void reply.header('retry-after', String(error.retryAfterS));
  // 503s (shutting down, limits unreachable) are expected and logged where they start.
  if (error.code === 'STORE_UNAVAILABLE') logStoreOutage(request, error);
  else if (status >= 500 && status !== 503) request.log.error({ code: error.code, err: error.cause ?? error }, error.message);
  void reply.status(status).send(errorBody(status, error.message));
}

/** Maps every error, ours or Fastify's, to a GatewayError and answers it. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  sendGatewayError(toGatewayError(error, request), request, reply);
}

/** The stable code an error is answered with (what metrics count a rejection by). */
export function errorCodeOf(error: FastifyError, request: FastifyRequest): ErrorCode {
  return toGatewayError(error, request).code;
}

function toGatewayError(error: FastifyError, request: FastifyRequest): GatewayError {
  if (isGatewayError(error)) return error;
  if (isStoreUnavailable(error)) return storeUnavailableError(error);
  if (error.validation) return new GatewayError('INVALID_REQUEST', describeValidation(error.validation));
  // Fastify's message repeats the path, which may be as long as the headers allow.
  if (error.code === 'FST_ERR_BAD_URL') return new GatewayError('INVALID_REQUEST', 'the request path is not a valid URL (a stray %?)');
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new GatewayError('PAYLOAD_TOO_LARGE', `the request body is larger than ${describeBytes(request.routeOptions.bodyLimit)}`);
  }
  // Fastify's other client errors (an empty or unreadable body) are bad requests to us.
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new GatewayError('INVALID_REQUEST', error.message);
  }
  return new GatewayError('INTERNAL', 'the gateway had a problem; the request was not accepted', { cause: error });
}

/** 16384 -> "16 KiB", as people write it; other sizes in bytes. */
function describeBytes(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}
