/**
 * Keeps an in-memory copy in step with a store: polls a version every `refreshMs` and runs
 * `reload` when it changed, one reload at a time. The copy is then at most `refreshMs` (plus
 * a reload) behind a change made by any process.
 */
export class VersionPoll {
  private seen = -1;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly version: () => Promise<number>,
    /** Given the version it loads for. */
    private readonly reload: (version: number) => Promise<void>,
    private readonly refreshMs: number,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => {}), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Reloads now if the version changed. */
  refresh(): Promise<void> {
    this.refreshing ??= this.reloadIfChanged().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async reloadIfChanged(): Promise<void> {
    const version = await this.version();
    if (version === this.seen) return;
    await this.reload(version);
    this.seen = version;
  }
}

/** A copy of store data kept in step by its VersionPoll: starting, stopping and refreshing it are the poll's. */
export abstract class PolledCopy {
  protected abstract readonly poll: VersionPoll;

  start(): Promise<void> {
    return this.poll.start();
  }

  stop(): void {
    this.poll.stop();
  }

  /** Reloads now if the store's version changed; one reload at a time. */
  refresh(): Promise<void> {
    return this.poll.refresh();
  }
}
