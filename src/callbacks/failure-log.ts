import type { Logger } from 'pino';

/** How often one client's failing URL may add a line to the log. */
export const FAILURE_LOG_EVERY_MS = 60_000;

/**
 * One line per client and receiver origin at the first failure, then at most one a minute saying
 * how many failed since: a receiver down for a day is seen without a line per try. Lines carry
 * the client id and the URL's origin only (a path or query may hold a token; secrets never).
 */
export class CallbackFailureLog {
  private readonly last = new Map<string, { at: number; unlogged: number }>();

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly now: () => number = Date.now,
  ) {}

  failed(clientId: string, origin: string, reason: string, events: number): void {
    const key = `${clientId}\n${origin}`;
    const entry = this.last.get(key);
    const now = this.now();
    if (entry && now - entry.at < FAILURE_LOG_EVERY_MS) {
      entry.unlogged += 1;
      return;
    }
    const failedSince = entry?.unlogged ?? 0;
    this.last.set(key, { at: now, unlogged: 0 });
    this.logger.warn({ client_id: clientId, origin, reason, events, other_failures_since_last_line: failedSince }, 'callback request failed; retrying later');
  }

  /** The URL answered: its next failure is news again. */
  succeeded(clientId: string, origin: string): void {
    this.last.delete(`${clientId}\n${origin}`);
  }
}
