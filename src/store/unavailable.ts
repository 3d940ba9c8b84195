import { GatewayError } from '../domain/errors.js';

/**
 * SQLSTATE classes and codes of a database that is away for a while, not of a bad statement:
 * connection exceptions (08), the server shutting down or starting (57P01-57P03), no free
 * connection slot (53300), out of disk (53100).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53[13]00)$/;
/** How the `pg` client reports a connection it lost or could not open. */
const PG_CONNECTION_MESSAGE = /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect|Connection ended/i;
const NETWORK_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** SQLite (better-sqlite3 codes): the disk is full, failing, read-only, or the file cannot be opened. */
const SQLITE_UNAVAILABLE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY)/;

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

/**
 * Whether `error` says the database cannot be used right now (PostgreSQL restarting, the disk
 * full) rather than that a request was wrong: such a failure is a 503 to retry, not a 500.
 */
export function isStoreUnavailable(error: unknown): boolean {
  const code = codeOf(error);
  if (UNAVAILABLE_SQLSTATE.test(code) || NETWORK_ERRNO.has(code) || SQLITE_UNAVAILABLE.test(code)) return true;
  if (error instanceof Error && PG_CONNECTION_MESSAGE.test(error.message)) return true;
  return error instanceof Error && error.cause !== undefined && isStoreUnavailable(error.cause);
}

/** The GatewayError a caller sees for a store that cannot be used now (see isStoreUnavailable). */
export function storeUnavailableError(cause: unknown): GatewayError {
  return new GatewayError('STORE_UNAVAILABLE', 'the database is unavailable; the request was not accepted, try again', { retryAfterS: 1, cause });
}
