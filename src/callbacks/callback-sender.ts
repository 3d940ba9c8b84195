import type { Logger } from 'pino';
import { callbackEventJson } from '../domain/callback-event.js';
import { OutageLog } from '../limits/outage-log.js';
import type { CallbackOutbox, OwedCallbackEvent } from '../store/callback-outbox.js';
import { afterFailure } from './backoff.js';
import type { CallbackPost, PostOutcome } from './callback-poster.js';
import type { CallbackTarget } from './callback-targets.js';
import { CallbackFailureLog } from './failure-log.js';
import { SIGNATURE_HEADER, signCallback } from './signature.js';

export interface CallbackSenderOptions {
  readonly outbox: CallbackOutbox;
  readonly targets: { refresh(): Promise<void>; of(clientId: string): CallbackTarget | undefined };
  readonly poster: { post(request: CallbackPost): Promise<PostOutcome>; close(): Promise<void> };
  /** Checks a URL again at send time (the host may resolve elsewhere now); throws when refused. */
  readonly checkTarget: (url: string) => Promise<URL>;
  /** Calls its listener on every status change this process makes (StatusEvents.subscribe). */
  readonly subscribe?: (listener: () => void) => () => void;
  readonly logger: Logger;
  /** Told how many events each request delivered or failed (metrics). */
  readonly observer?: { sent(events: number): void; failed(events: number): void };
  /** This process's name on its leases. */
  readonly owner: string;
  readonly batchMax: number;
  readonly lingerMs: number;
  readonly timeoutMs: number;
  readonly maxAgeMs: number;
  /** Requests in flight per URL. */
  readonly concurrency: number;
  /** Looks for due events this often: those of other dispatchers, and retries falling due. */
  readonly pollMs?: number;
  /** On close, how long requests in flight may take before they are cut. */
  readonly closeWaitMs: number;
  readonly now?: () => number;
  readonly random?: () => number;
}

/**
 * Sends the outbox's events to the clients' callback URLs: per client, batches of up to
 * `batchMax` due events, claimed under a lease only when the client's URL has a free slot (at most
 * `concurrency` requests in flight per URL). No request is awaited by the loop that serves the
 * clients, so a slow or dead receiver holds only its own slots: other clients' callbacks, and the
 * dispatcher that publishes the status changes, never wait on it.
 */
export class CallbackSender {
  private readonly inFlightByUrl = new Map<string, number>();
  private readonly claiming = new Set<string>();
  /** Clients whose last request failed: their next 2xx makes their backed-off events due at once. */
  private readonly failing = new Set<string>();
  private readonly requests = new Set<Promise<void>>();
  private readonly cut = new AbortController();
  private readonly failures: CallbackFailureLog;
  /** The outbox (the store) failing: one line when it starts and one when it ends, not one per poll. */
  private readonly outage: OutageLog;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly leaseMs: number;
  private pollTimer: NodeJS.Timeout | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private turning: Promise<void> | undefined;
  private turnAgain = false;
  private closed = false;

  constructor(private readonly options: CallbackSenderOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    // Longer than a request may take, so a live sender's events are never claimed twice.
    this.leaseMs = options.timeoutMs + 5_000;
    this.failures = new CallbackFailureLog(options.logger, this.now);
    this.outage = new OutageLog(options.logger, 'the callback outbox');
  }

  start(): void {
    this.unsubscribe = this.options.subscribe?.(() => this.wake());
    this.pollTimer = setInterval(() => void this.turn(), this.options.pollMs ?? 1_000);
    this.pollTimer.unref();
    void this.turn();
  }

  /** New events were written: look after the linger, so that those that follow share a request. */
  wake(): void {
    if (this.closed || this.lingerTimer) return;
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined;
      void this.turn();
    }, this.options.lingerMs);
    this.lingerTimer.unref();
  }

  /** One look at the due clients at a time; a look asked for meanwhile runs right after. */
  turn(): Promise<void> {
    if (this.turning) {
      this.turnAgain = true;
      return this.turning;
    }
    this.turning = (async () => {
      do {
        this.turnAgain = false;
        await this.serveDueClients().catch((error: unknown) => this.outage.failed(error));
      } while (this.turnAgain && !this.closed);
    })().finally(() => {
      this.turning = undefined;
    });
    return this.turning;
  }

  /** Stops claiming, lets requests in flight finish for a while, cuts the rest, closes the connections. */
  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    clearInterval(this.pollTimer);
    clearTimeout(this.lingerTimer);
    await this.turning;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.requests]),
      new Promise((resolve) => (timer = setTimeout(resolve, this.options.closeWaitMs))),
    ]);
    clearTimeout(timer);
    this.cut.abort(new Error('shutting down'));
    await Promise.allSettled([...this.requests]);
    await this.options.poster.close();
  }

  private async serveDueClients(): Promise<void> {
    if (this.closed) return;
    await this.options.targets.refresh();
    const clients = await this.options.outbox.clientsWithDueCallbacks(this.now());
    this.outage.recovered();
    for (const clientId of clients) void this.serve(clientId);
  }

  /** Claims and sends batches for one client while its URL has free slots; never waits on a request. */
  private async serve(clientId: string): Promise<void> {
    if (this.closed || this.claiming.has(clientId)) return;
    this.claiming.add(clientId);
    try {
      const target = this.options.targets.of(clientId);
      while (!this.closed) {
        const url = target?.url ?? '';
        if ((this.inFlightByUrl.get(url) ?? 0) >= this.options.concurrency) break;
        this.inFlightByUrl.set(url, (this.inFlightByUrl.get(url) ?? 0) + 1);
        let events: OwedCallbackEvent[] = [];
        try {
          events = await this.claim(clientId);
        } finally {
          if (events.length === 0) this.release(url);
        }
        if (events.length === 0) break;
        this.track(
          this.deliver(clientId, target, events).finally(() => {
            this.release(url);
            // A full batch leaves more behind; a freed slot may be what another client waits for.
            void this.turn();
          }),
        );
        if (events.length < this.options.batchMax) break;
      }
    } catch (error) {
      this.outage.failed(error);
    } finally {
      this.claiming.delete(clientId);
    }
  }

  private claim(clientId: string): Promise<OwedCallbackEvent[]> {
    return this.options.outbox.claimCallbackEvents({
      clientId,
      owner: this.options.owner,
      limit: this.options.batchMax,
      leaseMs: this.leaseMs,
      now: this.now(),
    });
  }

  private async deliver(clientId: string, target: CallbackTarget | undefined, events: readonly OwedCallbackEvent[]): Promise<void> {
    const outcome = target ? await this.post(target, events) : { ok: false as const, reason: 'no callback URL set', origin: '' };
    const ids = events.map((e) => e.eventId);
    try {
      if (outcome.ok) {
        await this.options.outbox.acknowledgeCallbackEvents(ids, this.now());
        this.options.observer?.sent(events.length);
        // The receiver is back: what waits out a backoff (up to 10 minutes) goes now, not then.
        if (this.failing.delete(clientId) && (await this.options.outbox.hastenCallbackEvents(clientId, this.now())) > 0) this.wake();
        this.failures.succeeded(clientId, outcome.origin);
        return;
      }
      this.options.observer?.failed(events.length);
      this.failing.add(clientId);
      this.failures.failed(clientId, outcome.origin, outcome.reason, events.length);
      await this.recordFailure(events, outcome.reason);
    } catch (error) {
      // The leases run out and the events are claimed again: late, never lost.
      this.outage.failed(error);
    }
  }

  private async post(target: CallbackTarget, events: readonly OwedCallbackEvent[]): Promise<PostOutcome & { origin: string }> {
    const signal = AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.cut.signal]);
    let url: URL;
    try {
      url = await this.options.checkTarget(target.url);
    } catch (error) {
      return { ok: false, reason: `refused: ${error instanceof Error ? error.message : String(error)}`, origin: originOf(target.url) };
    }
    const body = JSON.stringify({ events: events.map(callbackEventJson) });
    const headers = { [SIGNATURE_HEADER]: signCallback(target.secret, body, this.now()) };
    const outcome = await this.options.poster.post({ url, body, headers, signal });
    return { ...outcome, origin: url.origin };
  }

  /** Each event is tried again after its backoff, or buried once its life is over. */
  private async recordFailure(events: readonly OwedCallbackEvent[], reason: string): Promise<void> {
    const now = this.now();
    // One draw for the batch: its events, failed together, stay together for the next try.
    const draw = this.random();
    const bury: string[] = [];
    const retryAt = new Map<number, string[]>();
    for (const event of events) {
      // Cut by a shutdown: the receiver is not to blame, so no wait before the next try.
      const decision = this.cut.signal.aborted ? { kind: 'retry' as const, at: now } : afterFailure(event, now, this.options.maxAgeMs, () => draw);
      if (decision.kind === 'bury') bury.push(event.eventId);
      else retryAt.set(decision.at, [...(retryAt.get(decision.at) ?? []), event.eventId]);
    }
    await Promise.all([
      bury.length > 0 ? this.options.outbox.buryCallbackEvents(bury, reason, now) : undefined,
      ...[...retryAt].map(([at, ids]) => this.options.outbox.rescheduleCallbackEvents(ids, at, reason)),
    ]);
  }

  private release(url: string): void {
    const left = (this.inFlightByUrl.get(url) ?? 1) - 1;
    if (left > 0) this.inFlightByUrl.set(url, left);
    else this.inFlightByUrl.delete(url);
  }

  private track(request: Promise<void>): void {
    this.requests.add(request);
    void request.finally(() => this.requests.delete(request));
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(not a URL)';
  }
}
