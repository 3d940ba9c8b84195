/**
 * A per-bind submit rate cap that holds in every one-second window, not just on average: it
 * remembers the last `perSecond` send times and allows a send only once the oldest of them is
 * a full second old. (A token bucket would let nearly twice the rate through across the edge of
 * a second, which an SMSC counting per second answers with ESME_RTHROTTLED.)
 */
export class SendRate {
  private readonly sent: number[] = [];

  /** `perSecond` = 0 means no cap. */
  constructor(private readonly perSecond: number) {}

  /** Milliseconds to wait before the next send is allowed; 0 = now. */
  waitMs(now: number): number {
    if (this.perSecond === 0 || this.sent.length < this.perSecond) return 0;
    return Math.max(0, this.sent[0]! + 1000 - now);
  }

  record(now: number): void {
    if (this.perSecond === 0) return;
    this.sent.push(now);
    if (this.sent.length > this.perSecond) this.sent.shift();
  }
}

/** Exponential reconnect delay with jitter, so binds that dropped together do not return together. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt += 1;
    return Math.round(base * (0.75 + this.random() * 0.25));
  }

  reset(): void {
    this.attempt = 0;
  }
}
