/**
 * Who may open which SMPP binds. An SMSC counts binds per account (system_id at its host:port)
 * and refuses, or silently drops, those above what it granted; with many dispatchers each
 * opening every configured bind, the account would be opened N times over. A coordinator hands
 * each dispatcher a share of the bind slots of every account instead.
 */

/** The binds the SMSC counts together: `slots` sessions (of each kind) under one identity. */
export interface SlotPool {
  /** `system_id@host:port` (smpp-config.ts bindIdentity). */
  readonly identity: string;
  readonly slots: number;
  /** The account allows every dispatcher all its binds (`shared_identity`): nothing to share out. */
  readonly shared: boolean;
}

/**
 * Told which slots of a pool this process may hold now, after every change. Resolves once the
 * binds of slots taken away are closed: only then may another process open them.
 */
export type SlotListener = (identity: string, slots: ReadonlySet<number>) => Promise<void>;

export interface BindCoordinator {
  /** Resolves after the first decision was handed to the listener. */
  start(pools: readonly SlotPool[], listener: SlotListener): Promise<void>;
  /** Gives every slot up (the caller has closed the binds by then). */
  stop(): Promise<void>;
  /** Where the coordinator keeps its leases elsewhere (Redis): that it answers, for /readyz. */
  ping?(): Promise<void>;
}

/** Slots 0..n-1. */
export function allSlots(n: number): Set<number> {
  return new Set(Array.from({ length: n }, (_, i) => i));
}
