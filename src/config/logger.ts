import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

/** JSON logs on stderr, so stdout stays for what a command prints. Passcodes are never logged. */
export function createLogger(level: LogLevel): Logger {
  return pino(
    { level, redact: { paths: ['passcode', '*.passcode', 'password', '*.password'], censor: '[hidden]' } },
    pino.destination({ fd: 2, sync: false }),
  );
}
