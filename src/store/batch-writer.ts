import type { CommitObserver } from './commit-observer.js';
import type { MessageStore, NewMessage } from './message-store.js';

/** Where committed batches go: the store itself, or the thread that owns its writes. */
export type MessageSink = Pick<MessageStore, 'insertMessages'>;

interface Waiting {
  readonly message: NewMessage;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: sends accepted during one turn of the event loop are committed together in one
 * transaction, and each caller's promise settles only after that commit. While one commit runs
 * (PostgreSQL is asynchronous), the next batch gathers.
 */
export class BatchWriter {
  private waiting: Waiting[] = [];
  private scheduled = false;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly store: MessageSink,
    private readonly maxBatch: number,
    private readonly onCommitted: (count: number) => void = () => {},
    private readonly onCommit?: CommitObserver,
  ) {}

  write(message: NewMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ message, resolve, reject });
      if (this.waiting.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Resolves when everything handed in so far is committed (or failed). */
  async drain(): Promise<void> {
    if (this.waiting.length > 0) this.flush();
    if (this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private flush(): void {
    this.scheduled = false;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight++;
      const started = performance.now();
      this.store
        .insertMessages(batch.map((w) => w.message))
        .then(
          () => {
            this.onCommit?.('sends', batch.length, (performance.now() - started) / 1000);
            for (const w of batch) w.resolve();
            this.onCommitted(batch.length);
          },
          (error: unknown) => {
            for (const w of batch) w.reject(error);
          },
        )
        .finally(() => {
          this.inFlight--;
          if (this.inFlight === 0 && this.waiting.length === 0) {
            for (const wake of this.idleWaiters.splice(0)) wake();
          }
        });
    }
  }
}
