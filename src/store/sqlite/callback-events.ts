import type { StatusTransition } from '../../domain/status-transition.js';
import { callbackEventParams } from '../callback-rows.js';
import type { Statements } from './statements.js';

/**
 * Writes the callback events of status changes, inside the write that makes the changes (the
 * caller's one-writer transaction), so a change never commits without its events.
 *
 * The filter is SQL against the clients row at that moment (a URL, and an `events` choice that
 * hears the new status); the row snapshots the message's number, template and parts.
 *
 * Hot path: with no client having a callback URL the INSERT is skipped. Whether any client has
 * one is re-read whenever the catalog version differs from the one it was read at; the version
 * is read in the same transaction, and every catalog change (another process's CLI included)
 * bumps it in its own, so the rule is exact: a URL committed before this write is seen by it.
 */
export class SqliteCallbackEvents {
  private seenCatalogVersion = -1;
  private anyClientHasCallback = false;

  constructor(private readonly sql: Statements) {}

  /** Must run inside the transaction of the changes; answers the transitions for chaining. */
  record(transitions: StatusTransition[]): StatusTransition[] {
    if (transitions.length === 0 || !this.someClientHasCallback()) return transitions;
    for (const event of callbackEventParams(transitions)) {
      this.sql.insertCallbackEvent.run({ ...event, wanted: JSON.stringify(event.wanted) });
    }
    return transitions;
  }

  private someClientHasCallback(): boolean {
    const version = (this.sql.catalogVersion.get() as { value: number }).value;
    if (version !== this.seenCatalogVersion) {
      this.anyClientHasCallback = (this.sql.anyCallbackClient.get() as { any: number }).any === 1;
      this.seenCatalogVersion = version;
    }
    return this.anyClientHasCallback;
  }
}
