import type { CommitObserver } from './commit-observer.js';
import type { IdempotencyRecord, MessageStore, NewMessage } from './message-store.js';

/** Where committed batches go: the store itself, or the thread that owns its writes. */
export type MessageSink = Pick<MessageStore, 'insertMessages'>;

interface Waiting {
  readonly message: NewMessage;
  readonly resolve: (heldBy: IdempotencyRecord | undefined) => void;
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

  /**
   * Resolves once committed: undefined when the message was inserted, or, for a message with an
   * Idempotency-Key another send holds, that key (and this message was not inserted).
   */
  write(message: NewMessage): Promise<IdempotencyRecord | undefined> {
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
      // Metrics off: no clock read.
      const started = this.onCommit ? performance.now() : 0;
      this.store
        .insertMessages(batch.map((w) => w.message))
        .then(
          (heldKeys) => {
            this.onCommit?.('sends', batch.length, (performance.now() - started) / 1000);
            if (heldKeys.length === 0) for (const w of batch) w.resolve(undefined);
            else settleWithHeldKeys(batch, heldKeys);
            this.onCommitted(batch.length - heldKeys.length);
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

/** Each keyed message hears of the key that kept it out; the rest were inserted. */
function settleWithHeldKeys(batch: readonly Waiting[], heldKeys: readonly IdempotencyRecord[]): void {
  const held = new Map(heldKeys.map((record) => [`${record.clientId}\n${record.key}`, record]));
  for (const w of batch) {
    const { idempotency, clientId, smsUid } = w.message;
    const record = idempotency && held.get(`${clientId}\n${idempotency.key}`);
    // The key's own message (first of its batch) was inserted: the key is its, not another's.
    w.resolve(record && record.smsUid.toLowerCase() !== smsUid.toLowerCase() ? record : undefined);
  }
}
