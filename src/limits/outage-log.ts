/** What OutageLog needs of a logger; a pino Logger is one. */
export interface OutageLogger {
  error(details: object, message: string): void;
  info(message: string): void;
}

/**
 * Logs the start and the end of an outage of a dependency once each, however many requests
 * fail in between: at 80,000 requests a second, one line per failure would bury the log.
 */
export class OutageLog {
  private down = false;

  constructor(
    private readonly logger: OutageLogger,
    private readonly what: string,
  ) {}

  failed(error: unknown): void {
    if (this.down) return;
    this.down = true;
    this.logger.error({ err: error }, `${this.what} is unavailable`);
  }

  recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.info(`${this.what} is available again`);
  }
}
