import { closeSync, fdatasync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

type Done = (error: Error | null) => void;

/**
 * Two syncs may overlap, so a commit waits for about one sync rather than for the rest of the
 * one under way; more would only crowd libuv's four-thread pool that other file I/O needs.
 */
const MAX_SYNCS_IN_FLIGHT = 2;

/**
 * Durability of SQLite commits without blocking the event loop. The connection runs with
 * synchronous=NORMAL, so COMMIT only write()s the WAL; this class then fdatasync()s the WAL file
 * in libuv's thread pool, and callers learn of their commit only after that. That is what
 * synchronous=FULL does, minus the main thread waiting on the disk: requests keep being parsed
 * while the disk syncs, and one sync covers every commit made before it started.
 */
export class WalSync {
  private fd: number | undefined;
  private inFlight = 0;
  private waiting: Done[] = [];

  constructor(private readonly walPath: string) {}

  /** Calls `done` after an fdatasync of the WAL that began after this call. */
  afterSync(done: Done): void {
    this.waiting.push(done);
    this.startSync();
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private startSync(): void {
    if (this.inFlight >= MAX_SYNCS_IN_FLIGHT || this.waiting.length === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    let fd: number;
    try {
      fd = this.open();
    } catch (error) {
      for (const done of batch) done(error as Error);
      return;
    }
    this.inFlight++;
    fdatasync(fd, (error) => {
      this.inFlight--;
      for (const done of batch) done(error);
      this.startSync();
    });
  }

  private open(): number {
    if (this.fd === undefined) {
      this.fd = openSync(this.walPath, 'r');
      // The WAL's directory entry must be on disk too, once, for the file to survive a crash.
      const dir = openSync(dirname(this.walPath), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    }
    return this.fd;
  }
}
