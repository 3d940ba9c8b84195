/**
 * What one bind is doing, kept for health checks: `connecting` (TCP connect or bind under way,
 * or waiting to reconnect), `bound`, `refused` (the SMSC answered the bind with a non-zero
 * command_status, named in `reason`; kept while reconnects are refused the same way), `stopped`.
 */
export type BindStatus = 'connecting' | 'bound' | 'refused' | 'stopped';

export interface BindState {
  /** The connection's configured name. */
  readonly connection: string;
  /** The bind's kind and slot, e.g. `transceiver-0`. */
  readonly bind: string;
  readonly host: string;
  readonly port: number;
  readonly status: BindStatus;
  /** `refused`: the command_status name (ESME_RINVPASWD); `connecting`: why the last session ended, if one did. */
  readonly reason?: string;
  /** Epoch ms since which the bind has had this status (and reason). */
  readonly since: number;
}

/** The state after an event; the same status and reason keep their `since`. */
export function nextBindState(current: BindState, status: BindStatus, reason: string | undefined, now: number): BindState {
  if (current.status === status && current.reason === reason) return current;
  const { connection, bind, host, port } = current;
  return { connection, bind, host, port, status, ...(reason === undefined ? {} : { reason }), since: now };
}
