import { expect, it } from 'vitest';
import { isStoreUnavailable, storeUnavailableError } from './unavailable.js';

const withCode = (code: string, message = 'x'): Error => Object.assign(new Error(message), { code });

it('a database away for a while (PostgreSQL restarting, a full disk) is unavailable', () => {
  expect(isStoreUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  expect(isStoreUnavailable(withCode('57P01', 'terminating connection due to administrator command'))).toBe(true);
  expect(isStoreUnavailable(withCode('08006'))).toBe(true);
  expect(isStoreUnavailable(withCode('ECONNREFUSED'))).toBe(true);
  expect(isStoreUnavailable(withCode('SQLITE_FULL', 'database or disk is full'))).toBe(true);
  expect(isStoreUnavailable(withCode('SQLITE_IOERR_WRITE'))).toBe(true);
  expect(isStoreUnavailable(new Error('migration failed', { cause: withCode('57P03') }))).toBe(true);
});

it('a bad statement or a constraint is not', () => {
  expect(isStoreUnavailable(withCode('23505', 'duplicate key'))).toBe(false);
  expect(isStoreUnavailable(withCode('42P01', 'relation does not exist'))).toBe(false);
  expect(isStoreUnavailable(withCode('SQLITE_CONSTRAINT_PRIMARYKEY'))).toBe(false);
  expect(isStoreUnavailable(new Error('boom'))).toBe(false);
  expect(isStoreUnavailable(undefined)).toBe(false);
});

it('answers 503 material: a code, a retry hint, the real error as cause', () => {
  const cause = withCode('SQLITE_FULL');
  expect(storeUnavailableError(cause)).toMatchObject({ code: 'STORE_UNAVAILABLE', retryAfterS: 1, cause });
});
