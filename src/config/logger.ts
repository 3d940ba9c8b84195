import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

/**
 * Fields that hold a secret wherever they appear in a log line: client passcodes, carrier and
 * simulator passwords, the admin token, callback secrets, Authorization headers, and URLs that
 * may carry a password (the configuration's database and Redis URLs). Listed at the top level,
 * one level down, and inside the carriers file's connections, so that logging a whole request,
 * configuration or carriers file by mistake still shows none of them.
 */
const SECRET_FIELDS = ['passcode', 'password', 'token', 'adminToken', 'secret', 'callbackSecret', 'authorization', 'databaseUrl', 'redisUrl', 'simulatorPassword'];
export const REDACTED_PATHS: readonly string[] = [
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]),
  '*.headers.authorization',
  'connections[*].password',
  '*.connections[*].password',
];

/** JSON logs on stderr, so stdout stays for what a command prints. Secrets are never logged. */
export function createLogger(level: LogLevel, destination: DestinationStream = pino.destination({ fd: 2, sync: false })): Logger {
  return pino({ level, redact: { paths: [...REDACTED_PATHS], censor: '[hidden]' } }, destination);
}
