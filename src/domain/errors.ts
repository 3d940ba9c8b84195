/**
 * Every failure the gateway reports to a caller is a GatewayError with a stable code.
 * The HTTP mapping lives in one place: src/api/error-mapping.ts.
 */
export type ErrorCode =
  | 'INVALID_REQUEST' // malformed body, missing or mistyped field
  | 'INVALID_PHONE_NUMBER'
  | 'INVALID_CONTENTS'
  | 'PAYLOAD_TOO_LARGE'
  | 'AUTH_FAILED' // unknown client or wrong passcode: one answer for both
  | 'ADMIN_AUTH_FAILED' // the admin listener's bearer token is missing or wrong
  | 'CLIENT_DISABLED'
  | 'TEMPLATE_FORBIDDEN'
  | 'TEMPLATE_NOT_FOUND'
  | 'MESSAGE_NOT_FOUND'
  | 'ROUTE_NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'REQUEST_TIMEOUT' // the request was not received whole in time
  | 'HEADERS_TOO_LARGE' // too many or too large header lines
  | 'TOO_MANY_CONNECTIONS' // the HTTP connection cap is reached
  | 'NUMBER_RATE_LIMITED'
  | 'SEND_RATE_LIMITED'
  | 'QUERY_RATE_LIMITED'
  | 'AUTH_RATE_LIMITED' // too many wrong passcodes from one address
  | 'LIMITER_UNAVAILABLE'
  | 'STORE_UNAVAILABLE' // the database is away for a while (restarting, disk full): retry
  | 'SHUTTING_DOWN'
  | 'CLIENT_EXISTS'
  | 'CLIENT_NOT_FOUND'
  | 'TEMPLATE_EXISTS'
  | 'DATABASE_NOT_FOUND' // the CLI was pointed at a database that is not there
  | 'INVALID_CONFIG'
  | 'INTERNAL';

export class GatewayError extends Error {
  readonly code: ErrorCode;
  /** Seconds a caller should wait before trying again (rate limits, a store or limiter away). */
  readonly retryAfterS: number | undefined;

  constructor(code: ErrorCode, message: string, options: { retryAfterS?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.retryAfterS = options.retryAfterS;
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}
