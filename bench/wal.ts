import { closeSync, openSync, readSync } from 'node:fs';
import type Database from 'better-sqlite3';

/**
 * WAL bytes written, counted in frames. SQLite appends one frame (page size + a 24-byte header)
 * per page a commit changes; the wal-index (the -shm file, shared memory every connection maps)
 * holds mxFrame, the frames the WAL holds now, at byte 16 of its header, and the page size at
 * byte 14. A checkpoint that finds no reader restarts the WAL from frame 1, so the counter is
 * only a counter while a reader holds a snapshot open: pinWal() does that (the checkpoints still
 * run, passive, but cannot restart the log), and the WAL file grows by every frame written.
 */
export interface WalPosition {
  readonly frames: number;
  readonly pageSize: number;
}

export function walPosition(dbPath: string): WalPosition {
  const fd = openSync(`${dbPath}-shm`, 'r');
  try {
    const header = Buffer.alloc(20);
    readSync(fd, header, 0, 20, 0);
    const size = header.readUInt16LE(14); // native order; x86 and arm64 are little-endian
    return { frames: header.readUInt32LE(16), pageSize: size === 1 ? 65536 : size };
  } finally {
    closeSync(fd);
  }
}

/** Holds a read snapshot open on `db` until the returned function is called. */
export function pinWal(db: Database.Database): () => void {
  db.exec('BEGIN');
  db.prepare('SELECT count(*) FROM messages').get();
  return () => db.exec('COMMIT');
}

/** Bytes the WAL grew by between two positions (same log: the WAL was pinned in between). */
export function walBytesBetween(before: WalPosition, after: WalPosition): number {
  return (after.frames - before.frames) * (after.pageSize + 24);
}
