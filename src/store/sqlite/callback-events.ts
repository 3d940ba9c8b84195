import type { StatusTransition } from '../../domain/status-transition.js';
import { callbackEventParams } from '../callback-rows.js';
import type { Statements } from './statements.js';
import type { WriteCombiner } from './write-combiner.js';

/**
 * Writes the callback events of status changes, inside the write that makes the changes (the
 * caller's one-writer transaction), so a change never commits without its event.
 *
 * The filter is SQL against the clients row at that moment (a URL, and an `events` choice that
 * hears the new status); the row snapshots the message's number, template and parts.
 *
 * Hot path: while no client has a callback URL, no statement at all. Whether one has is read
 * from the table at first use and again after this store changed a callback, after a rollback,
 * and at the start of a turn after another connection to the file (the CLI) committed
 * (WriteCombiner.onStale, PRAGMA data_version read inside the write lock). So the rule is exact:
 * a URL committed before a write is seen by it.
 */
export class SqliteCallbackEvents {
  /** undefined: not known since the last notice; read at the next use. */
  private anyClientHasCallback: boolean | undefined;

  constructor(
    private readonly sql: Statements,
    writes: WriteCombiner,
  ) {
    writes.onStale(() => this.callbackChanged());
  }

  /** Inside the write that set or cleared a client's callback. */
  callbackChanged(): void {
    this.anyClientHasCallback = undefined;
  }

  /** Must run inside the transaction of the changes; answers the transitions for chaining. */
  record(transitions: StatusTransition[]): StatusTransition[] {
    if (transitions.length === 0 || !this.someClientHasCallback()) return transitions;
    for (const event of callbackEventParams(transitions)) {
      this.sql.insertCallbackEvent.run({ ...event, wanted: JSON.stringify(event.wanted) });
    }
    return transitions;
  }

  private someClientHasCallback(): boolean {
    return (this.anyClientHasCallback ??= (this.sql.anyCallbackClient.get() as { any: number }).any === 1);
  }
}
