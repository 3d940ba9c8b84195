import { bindIdentity, type SmscConnectionConfig } from '../carrier/smpp/smpp-config.js';
import type { SlotPool } from './bind-coordinator.js';

/** Slots of one connection, numbered 0..binds-1 within it. */
export interface ConnectionSlots {
  readonly connection: string;
  readonly slots: ReadonlySet<number>;
}

export interface SlotPlan {
  readonly pools: readonly SlotPool[];
  /** Splits the slots granted in a pool into the slots of each connection under it. */
  split(identity: string, slots: ReadonlySet<number>): ConnectionSlots[];
}

/**
 * Connections that log in with the same system_id at the same host:port are one account to the
 * SMSC (e.g. two routes by prefix over one account), so their binds form one pool: connection A
 * holds pool slots 0..a-1, connection B a..a+b-1. A pool is shared only if all of it is.
 */
export function planSlots(connections: readonly SmscConnectionConfig[]): SlotPlan {
  const members = new Map<string, { connection: string; offset: number; binds: number; shared: boolean }[]>();
  for (const c of connections) {
    const identity = bindIdentity(c);
    const list = members.get(identity) ?? [];
    const offset = list.reduce((n, m) => n + m.binds, 0);
    list.push({ connection: c.name, offset, binds: c.binds, shared: c.sharedIdentity });
    members.set(identity, list);
  }
  const pools = [...members].map(([identity, list]) => ({
    identity,
    slots: list.reduce((n, m) => n + m.binds, 0),
    shared: list.every((m) => m.shared),
  }));
  return {
    pools,
    split: (identity, slots) =>
      (members.get(identity) ?? []).map((m) => ({
        connection: m.connection,
        slots: new Set([...slots].filter((s) => s >= m.offset && s < m.offset + m.binds).map((s) => s - m.offset)),
      })),
  };
}
