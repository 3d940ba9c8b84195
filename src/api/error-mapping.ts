import type { ErrorCode } from '../domain/errors.js';

/** The one place where error codes become HTTP statuses. */
export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  INVALID_REQUEST: 400,
  INVALID_PHONE_NUMBER: 400,
  INVALID_CONTENTS: 400,
  PAYLOAD_TOO_LARGE: 413,
  AUTH_FAILED: 401,
  ADMIN_AUTH_FAILED: 401,
  CSRF_REFUSED: 403,
  CONSOLE_NOT_BUILT: 503,
  CLIENT_DISABLED: 403,
  TEMPLATE_FORBIDDEN: 403,
  TEMPLATE_NOT_FOUND: 404,
  MESSAGE_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  HEADERS_TOO_LARGE: 431,
  TOO_MANY_CONNECTIONS: 503,
  NUMBER_RATE_LIMITED: 429,
  NUMBER_BLOCKED: 403,
  COUNTRY_NOT_ALLOWED: 403,
  CLIENT_RATE_LIMITED: 429,
  DAILY_QUOTA_EXCEEDED: 429,
  COUNTRY_CAP_REACHED: 429,
  SEND_RATE_LIMITED: 429,
  QUERY_RATE_LIMITED: 429,
  AUTH_RATE_LIMITED: 429,
  LIMITER_UNAVAILABLE: 503,
  STORE_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
  IDEMPOTENCY_KEY_IN_FLIGHT: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  CLIENT_EXISTS: 409,
  CLIENT_NOT_FOUND: 404,
  TEMPLATE_EXISTS: 409,
  CALLBACK_URL_REFUSED: 400,
  // The CLI's; a server that lost its database would be the server's fault.
  DATABASE_NOT_FOUND: 500,
  INVALID_CONFIG: 500,
  INTERNAL: 500,
};

export interface ErrorBody {
  error_code: string;
  error_message: string;
}

export function errorBody(status: number, message: string): ErrorBody {
  return { error_code: String(status), error_message: message };
}
