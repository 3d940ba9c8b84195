import { hostname } from 'node:os';

/** A dispatcher's name on its leases: host and process, so a restart can tell its dead self. */
export function localLeaseOwner(pid = process.pid): string {
  return `${hostname()}:${pid}`;
}

/**
 * True for a lease owner on this host whose process is gone. Only safe where every dispatcher of
 * the store runs on this host (the embedded SQLite store): another host may share the name.
 */
export function isDeadLocalOwner(owner: string, isAlive: (pid: number) => boolean = processAlive): boolean {
  const prefix = `${hostname()}:`;
  if (!owner.startsWith(prefix)) return false;
  const pid = Number(owner.slice(prefix.length));
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
