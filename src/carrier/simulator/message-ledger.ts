import { MESSAGE_STATE, networkErrorCode } from './receipt-text.js';

/** What query_sm_resp says of a message (SMPP 3.4 4.8.2). */
export interface QueryAnswer {
  /** SMPP 3.4 5.2.28: ENROUTE 1 until its outcome is due, then DELIVERED 2, EXPIRED 3, ... */
  readonly messageState: number;
  /** When it reached its final state; absent while en route. */
  readonly finalDate?: Date;
  readonly errorCode: number;
}

interface Entry {
  readonly owner: string;
  /** The receipt state (DELIVRD, UNDELIV, ...) the message ends in. */
  readonly finalState: string;
  readonly finalAt: number;
}

const KEEP = 100_000;
const ENROUTE = 1;

/**
 * What the SMSC knows of each message it accepted, whether or not its receipt went out, so
 * query_sm can be answered for it. Only the latest messages are kept, and only in memory: after a
 * restart the simulator knows none of the earlier ones, as some SMSCs do.
 */
export class MessageLedger {
  private readonly entries = new Map<bigint, Entry>();

  record(id: bigint, owner: string, finalState: string, finalAt: number): void {
    this.entries.set(id, { owner, finalState, finalAt });
    if (this.entries.size > KEEP) this.entries.delete(this.entries.keys().next().value!);
  }

  /** The answer for `owner`'s message `id` at `now`; undefined for a message it does not know. */
  query(id: bigint, owner: string, now: number): QueryAnswer | undefined {
    const entry = this.entries.get(id);
    if (!entry || entry.owner !== owner) return undefined;
    if (now < entry.finalAt) return { messageState: ENROUTE, errorCode: 0 };
    return {
      messageState: MESSAGE_STATE[entry.finalState] ?? 7,
      finalDate: new Date(entry.finalAt),
      errorCode: networkErrorCode(entry.finalState),
    };
  }
}
