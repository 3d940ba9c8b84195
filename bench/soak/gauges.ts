import { readdirSync, readFileSync, statSync } from 'node:fs';

/** What the gateway's own "process summary" log line says (see src/compose/process-summary.ts). */
export interface ProcessSummary {
  readonly heapUsedBytes: number;
  readonly eventLoopDelayP99Ms: number;
  readonly eventLoopDelayMaxMs: number;
  readonly activeHandles: number;
}

/** Reads the gateway's JSON log lines as they come and keeps its latest process summary. */
export class SummaryReader {
  latest: ProcessSummary | undefined;
  /** How many summaries came so far. */
  count = 0;
  /** Log lines at warn or above, for the report (the last few). */
  readonly warnings: string[] = [];
  private partial = '';

  feed(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.read(line);
  }

  private read(line: string): void {
    let entry: { msg?: string; level?: number } & Partial<ProcessSummary>;
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return;
    }
    if (entry.msg === 'process summary') {
      this.latest = entry as ProcessSummary;
      this.count++;
    }
    else if ((entry.level ?? 0) >= 40) this.warnings.splice(0, Math.max(0, this.warnings.length - 19), line.slice(0, 300));
  }
}

/** VmRSS of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number | undefined {
  const match = /VmRSS:\s+(\d+) kB/.exec(readProc(`/proc/${pid}/status`));
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Open file descriptors of a process (sockets, database files, pipes), from /proc. */
export function openFdsOf(pid: number): number | undefined {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return undefined;
  }
}

/** The database with its WAL and shared-memory file, in bytes. */
export function databaseBytes(dbPath: string): number {
  let total = 0;
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      total += statSync(dbPath + suffix).size;
    } catch {
      // not there (yet)
    }
  }
  return total;
}

function readProc(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export const mib = (bytes: number | undefined): string => (bytes === undefined ? '?' : (bytes / 2 ** 20).toFixed(1));
