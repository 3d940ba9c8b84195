import type { Logger } from 'pino';
import type { StatusTransition } from '../domain/status-transition.js';

export type StatusListener = (transitions: readonly StatusTransition[]) => void | Promise<void>;

/**
 * In-process fan-out of the status transitions the store made: callbacks and metrics subscribe
 * here. Listeners are called in subscription order and not waited for; one that throws (or
 * whose promise rejects) is logged and the others still hear, so a listener can never break
 * the dispatcher that publishes.
 */
export class StatusEvents {
  private readonly listeners = new Set<StatusListener>();

  constructor(private readonly logger: Logger) {}

  /** Returns the unsubscribe. */
  subscribe(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  publish(transitions: readonly StatusTransition[]): void {
    if (transitions.length === 0) return;
    for (const listener of [...this.listeners]) {
      try {
        const pending = listener(transitions);
        if (pending) pending.catch((error: unknown) => this.failed(error));
      } catch (error) {
        this.failed(error);
      }
    }
  }

  private failed(error: unknown): void {
    this.logger.error({ err: error }, 'status events: a listener failed');
  }
}
