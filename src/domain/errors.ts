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
  | 'ADMIN_AUTH_FAILED' // the admin listener's bearer token (or console session) is missing or wrong
  | 'CSRF_REFUSED' // a console change without the console's header, or from another origin
  | 'CONSOLE_NOT_BUILT' // the web console's files are not in the package (npm run build makes them)
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
  | 'NUMBER_BLOCKED' // on the blocklist, everyone's or the client's
  | 'COUNTRY_NOT_ALLOWED' // outside the client's country list
  | 'CLIENT_RATE_LIMITED'
  | 'DAILY_QUOTA_EXCEEDED'
  | 'COUNTRY_CAP_REACHED' // the client's cap per country (SMS pumping)
  | 'SEND_RATE_LIMITED'
  | 'QUERY_RATE_LIMITED'
  | 'AUTH_RATE_LIMITED' // too many wrong passcodes from one address
  | 'LIMITER_UNAVAILABLE'
  | 'STORE_UNAVAILABLE' // the database is away for a while (restarting, disk full): retry
  | 'SHUTTING_DOWN'
  | 'IDEMPOTENCY_KEY_IN_FLIGHT' // the first send with this Idempotency-Key is still being committed
  | 'IDEMPOTENCY_KEY_REUSED' // this Idempotency-Key was used for a different send
  | 'CLIENT_EXISTS'
  | 'CLIENT_NOT_FOUND'
  | 'TEMPLATE_EXISTS'
  | 'DATABASE_NOT_FOUND' // the CLI was pointed at a database that is not there
  | 'INVALID_CONFIG'
  | 'CALLBACK_URL_REFUSED' // a callback URL that is not http(s), carries credentials or reaches a private address
  | 'INTERNAL';

export class GatewayError extends Error {
  readonly code: ErrorCode;
  /** Seconds a caller should wait before trying again (rate limits, a store or limiter away). */
  readonly retryAfterS: number | undefined;
  /** Whose refusal it is, where that is counted per client and country (a country cap). */
  readonly refused: { readonly clientId: string; readonly country: string } | undefined;

  constructor(code: ErrorCode, message: string, options: { retryAfterS?: number; cause?: unknown; refused?: { clientId: string; country: string } } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.retryAfterS = options.retryAfterS;
    this.refused = options.refused;
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}
