/** What every started part returns: a way to stop exactly what it started. */
export interface Closable {
  close(): Promise<void>;
}

/**
 * The parts a root started, closed in reverse order: what started last (the API) stops first,
 * what everything else stands on (the store) closes last.
 */
export class Lifecycle {
  private readonly closers: (() => Promise<void>)[] = [];
  private closing: Promise<void> | undefined;

  /** Registers a started part and returns it. */
  own<T extends Closable>(part: T): T {
    this.closers.push(() => part.close());
    return part;
  }

  /** Closes every part once, however many times it is asked. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (let closer = this.closers.pop(); closer; closer = this.closers.pop()) await closer();
    })();
    return this.closing;
  }

  /** Runs `start`; if it fails, closes what was started so far and rethrows. */
  async starting<T>(start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (error) {
      await this.close().catch(() => {}); // the start failure is the one worth reporting
      throw error;
    }
  }
}
