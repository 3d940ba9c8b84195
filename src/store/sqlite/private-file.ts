import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Creates a SQLite file (and the folder it needs) readable by its owner only, before SQLite opens
 * it: the database holds message texts with their codes and passcode hashes. SQLite gives the
 * WAL and shared-memory files the mode of the database file, so they are 0600 too. An existing
 * file keeps the mode its owner gave it.
 */
export function createPrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
}
