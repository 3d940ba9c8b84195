import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isGatewayError } from '../domain/errors.js';
import { errorBody, HTTP_STATUS_BY_CODE } from './error-mapping.js';

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

/** Maps every error to the contract's JSON shape; only unexpected ones are logged, as errors. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (isGatewayError(error)) {
    const status = HTTP_STATUS_BY_CODE[error.code];
    if (error.retryAfterS !== undefined) void reply.header('retry-after', String(error.retryAfterS));
    // 503s (shutting down, limits unreachable) are expected and logged where they start.
    if (status >= 500 && status !== 503) request.log.error({ code: error.code, err: error.cause ?? error }, error.message);
    void reply.status(status).send(errorBody(status, error.message));
    return;
  }
  if (error.validation) {
    void reply.status(400).send(errorBody(400, describeValidation(error.validation as ValidationIssue[])));
    return;
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    void reply.status(413).send(errorBody(413, 'the request body is larger than 16 KiB'));
    return;
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    void reply.status(status).send(errorBody(status, error.message));
    return;
  }
  request.log.error({ err: error }, 'unexpected error');
  void reply.status(500).send(errorBody(500, 'the gateway had a problem; the request was not accepted'));
}
