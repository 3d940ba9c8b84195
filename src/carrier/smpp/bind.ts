import smpp, { type PDU, type Session } from 'smpp';
import type { Logger } from 'pino';
import { CarrierSubmitError } from '../carrier.js';
import type { SmscConnectionConfig } from './smpp-config.js';
import { nextBindState, type BindState, type BindStatus } from './bind-state.js';
import { CREDENTIAL_REFUSALS, ESME_RINVCMDID, ESME_RMSGQFUL, ESME_RTHROTTLED, commandStatusName } from './command-status.js';
import { isQueryRefusal, sendQuerySm, type PendingQuery } from './message-query.js';
import { corkUntilNextTick } from './cork.js';
import { nextSequence, readFramesDirectly } from './frame-reader.js';
import { CMD, encodeEmpty, encodeResp, encodeSm, type SmFields } from './pdu-codec.js';
import { Backoff, SendRate } from './send-rate.js';
import { SubmitQueue } from './submit-queue.js';
import type { RetryTally } from './retry-tally.js';
import type { CarrierObserver } from '../carrier-observer.js';

export type BindKind = 'transceiver' | 'transmitter' | 'receiver';

/** Resolves to the deliver_sm_resp command_status. */
export type DeliverHandler = (pdu: PDU) => Promise<number>;

/** "ESME receiver temporary application error": the SMSC should deliver the receipt again. */
const ESME_RX_T_APPN = 0x64;

/**
 * One SMPP session to an SMSC, kept bound: it connects, binds, answers enquire_link and unbind,
 * probes the link with its own enquire_link, and reconnects with backoff through a fresh
 * smpp.connect() (the package's session.connect() hangs after a close). Submits go out only
 * while bound, at most `window` unanswered and at most `maxSubmitsPerSecond`; those unanswered
 * when the session drops are sent again on the next session, so the SMSC may see a duplicate.
 * A refused bind is logged by its command_status name and retried after reconnect_max_ms when the
 * refusal is about the account; its state stays readable (state()).
 */
export class SmppBind {
  private session: Session | undefined;
  private bound = false;
  private stopped = false;
  private readonly queue: SubmitQueue;
  private readonly rate: SendRate;
  private readonly backoff: Backoff;
  private pausedUntil = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private pumpTimer: NodeJS.Timeout | undefined;
  private linkTimers: NodeJS.Timeout[] = [];
  private current: BindState;
  /** The command_status of the bind refusal that ended the current session, if one did. */
  private refusal: number | undefined;
  /** The socket error of the current session, if it had one: why a connect failed. */
  private lastError: string | undefined;
  /** The SMSC answered query_sm with ESME_RINVCMDID or generic_nack: not asked again. */
  private queriesRefused = false;
  private readonly queriesInFlight = new Set<PendingQuery>();

  constructor(
    private readonly config: SmscConnectionConfig,
    readonly kind: BindKind,
    slot: number,
    private readonly onDeliver: DeliverHandler,
    private readonly log: Logger,
    private readonly retries: RetryTally,
    private readonly observer: CarrierObserver,
    private readonly now: () => number = Date.now,
  ) {
    this.queue = new SubmitQueue(config.responseTimeoutMs, () => {
      this.retries.record('TIMEOUT');
      this.observer.submitAnswered(config.name, 'timeout');
      this.pump();
    });
    this.rate = new SendRate(config.maxSubmitsPerSecond);
    this.backoff = new Backoff(config.reconnectInitialMs, config.reconnectMaxMs);
    const { name: connection, host, port } = config;
    this.current = { connection, bind: `${kind}-${slot}`, host, port, status: 'connecting', since: now() };
  }

  state(): BindState {
    return this.current;
  }

  /** Its SMSC answered query_sm with ESME_RINVCMDID or generic_nack. */
  get refusesQueries(): boolean {
    return this.queriesRefused;
  }

  /** Bound, able to send query_sm (not a receiver), and its SMSC has not refused queries. */
  get queries(): boolean {
    return this.bound && this.submits && !this.queriesRefused;
  }

  get isUp(): boolean {
    return this.bound;
  }

  get submits(): boolean {
    return this.kind !== 'receiver';
  }

  /** Submits this bind would take now without queuing them. */
  capacity(): number {
    if (!this.bound || !this.submits) return 0;
    let room = this.config.window;
    const { maxSubmitsPerSecond, responseTimeoutMs } = this.config;
    // Under a TPS cap, take no more than can go out within half the response timeout: work
    // beyond that would only wait here and time out unsent.
    if (maxSubmitsPerSecond > 0) room = Math.min(room, Math.max(1, Math.floor((maxSubmitsPerSecond * responseTimeoutMs) / 2000)));
    return Math.max(0, room - this.queue.inFlightCount - this.queue.queuedCount);
  }

  /** The submits it may have unanswered at once (0 for a receiver). */
  get window(): number {
    return this.submits ? this.config.window : 0;
  }

  /** Work given to this bind and not yet answered: queued plus in flight. */
  load(): number {
    return this.queue.inFlightCount + this.queue.queuedCount;
  }

  start(): void {
    this.connect();
  }

  /** Resolves to the SMSC's message_id; rejects with CarrierSubmitError. */
  submit(params: SmFields): Promise<string> {
    if (this.stopped) return Promise.reject(new CarrierSubmitError('retry', 'STOPPED', 'carrier is stopping'));
    const promise = this.queue.enqueue(params);
    this.pump();
    return promise;
  }

  /**
   * Sends a query_sm; resolves with the query_sm_resp (or generic_nack), or undefined when none
   * came within response_timeout_ms, no session is bound, or the bind stops. Remembers an SMSC
   * that does not support the command.
   */
  async query(params: Record<string, unknown>): Promise<PDU | undefined> {
    const session = this.session;
    if (!this.queries || !session) return undefined;
    const pending = sendQuerySm(session, params, this.config.responseTimeoutMs);
    this.queriesInFlight.add(pending);
    const resp = await pending.answer;
    this.queriesInFlight.delete(pending);
    if (resp && isQueryRefusal(resp) && !this.queriesRefused) {
      this.queriesRefused = true;
      this.log.info({ answer: commandStatusName(resp.command_status), command: resp.command }, 'smsc does not support query_sm; not asked again on this bind');
    }
    return resp;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.setState('stopped');
    for (const query of this.queriesInFlight) query.cancel();
    for (const timer of this.timers) clearTimeout(timer);
    this.clearLinkTimers();
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.queue.failAll(new CarrierSubmitError('retry', 'STOPPED', 'carrier is stopping'));
    const session = this.session;
    if (!session) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => session.destroy(), 1000);
      session.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      if (!this.bound || !session.unbind({}, () => session.close())) session.destroy();
    });
  }

  private setState(status: BindStatus, reason?: string): void {
    this.current = nextBindState(this.current, status, reason, this.now());
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private connect(): void {
    if (this.stopped) return;
    const { host, port, tls } = this.config;
    const session = smpp.connect({ host, port, tls });
    readFramesDirectly(session);
    this.session = session;
    this.lastError = undefined;
    // Nagle would hold back every submit after the first until the SMSC's delayed ACK arrives.
    session.socket.setNoDelay(true);
    // Without an error listener a refused connection would crash the process; 'close' follows.
    session.on('error', (error: Error) => {
      this.log.warn({ err: error.message }, 'smpp connection error');
      this.lastError = error.message;
    });
    session.on('close', () => this.onClose(session));
    session.on(tls ? 'secureConnect' : 'connect', () => this.sendBind(session));
    session.on('enquire_link', (pdu: PDU) => {
      this.write(session, encodeEmpty(CMD.enquire_link_resp, pdu.sequence_number));
    });
    session.on('unbind', (pdu: PDU) => {
      this.log.info('smsc unbound us');
      this.bound = false;
      session.send(pdu.response(), () => session.close());
    });
    session.on('deliver_sm', (pdu: PDU) => this.deliver(session, pdu));
    session.on('submit_sm_resp', (pdu: PDU) => this.session === session && this.onResponse(pdu));
    session.on('data_sm', (pdu: PDU) => session.send(pdu.response({ command_status: ESME_RINVCMDID })));
    session.on('unknown', (pdu: PDU) => session.send(pdu.response()));
    // Neither the TCP connect nor the bind may hang the bind forever.
    this.linkTimers.push(setTimeout(() => this.bound || session.destroy(), this.config.responseTimeoutMs));
  }

  private sendBind(session: Session): void {
    const { systemId, password, systemType } = this.config;
    const bind = { system_id: systemId, password, system_type: systemType, interface_version: 0x34 };
    session[`bind_${this.kind}`](bind, (resp: PDU) => {
      if (resp.command_status !== 0) {
        const name = commandStatusName(resp.command_status);
        this.refusal = resp.command_status;
        this.setState('refused', name);
        const { name: connection, host, port } = this.config;
        this.log.error({ commandStatus: name, connection, host, port, systemId }, `smsc ${connection} (${host}:${port}) refused the bind: ${name}`);
        session.destroy();
        return;
      }
      this.bound = true;
      this.refusal = undefined;
      this.setState('bound');
      this.backoff.reset();
      this.log.info({ kind: this.kind }, 'smpp bound');
      this.startEnquireLink(session);
      this.pump();
    });
  }

  /** A peer that stops answering enquire_link is as good as gone: drop it and reconnect. */
  private startEnquireLink(session: Session): void {
    const interval = setInterval(() => {
      const timeout = setTimeout(() => {
        this.log.warn('enquire_link unanswered; reconnecting');
        session.destroy();
      }, this.config.responseTimeoutMs);
      this.linkTimers.push(timeout);
      session.enquire_link({}, () => clearTimeout(timeout));
    }, this.config.enquireLinkIntervalMs);
    this.linkTimers.push(interval);
  }

  private clearLinkTimers(): void {
    for (const timer of this.linkTimers) clearTimeout(timer);
    this.linkTimers = [];
  }

  private onClose(session: Session): void {
    if (this.session !== session) return;
    const wasBound = this.bound;
    this.session = undefined;
    this.bound = false;
    this.clearLinkTimers();
    const resent = this.queue.requeueInFlight();
    if (this.stopped) return;
    const refusal = this.refusal;
    this.refusal = undefined;
    // An account the SMSC refuses stays refused for a while: no point knocking every second.
    const delay = refusal !== undefined && CREDENTIAL_REFUSALS.has(refusal) ? this.config.reconnectMaxMs : this.backoff.next();
    if (refusal === undefined) {
      const reason = wasBound ? 'connection closed' : (this.lastError ?? 'closed before the bind was answered');
      this.setState('connecting', reason);
      this.log.warn({ wasBound, reason, resendCount: resent, reconnectInMs: delay }, 'smpp connection closed');
    } else {
      this.log.info({ reconnectInMs: delay }, 'bind refused; reconnecting later');
    }
    this.later(delay, () => this.connect());
  }

  private deliver(session: Session, pdu: PDU): void {
    const answer = (status: number): void => {
      this.write(session, encodeResp(CMD.deliver_sm_resp, pdu.sequence_number, status));
    };
    this.onDeliver(pdu).then(answer, () => answer(ESME_RX_T_APPN));
  }

  /** Writes an encoded PDU, batched with the others of this tick; false when the socket is gone. */
  private write(session: Session, frame: Buffer): boolean {
    const socket = session.socket;
    if (!socket.writable) return false;
    corkUntilNextTick(socket);
    socket.write(frame);
    return true;
  }

  private pump(): void {
    const session = this.session;
    if (!this.bound || !session || !this.submits) return;
    if (this.queue.queuedCount > 0) corkUntilNextTick(session.socket);
    while (this.queue.queuedCount > 0 && this.queue.inFlightCount < this.config.window) {
      const now = Date.now();
      const wait = Math.max(this.pausedUntil - now, this.rate.waitMs(now));
      if (wait > 0) {
        if (!this.pumpTimer) {
          this.pumpTimer = setTimeout(() => {
            this.pumpTimer = undefined;
            this.pump();
          }, wait);
        }
        return;
      }
      const entry = this.queue.next()!;
      const sequence = nextSequence(session);
      if (!this.write(session, encodeSm(CMD.submit_sm, sequence, entry.params))) {
        this.queue.putBack(entry);
        return;
      }
      this.rate.record(now);
      this.queue.markInFlight(entry, sequence);
    }
  }

  private onResponse(resp: PDU): void {
    const status = resp.command_status;
    const sequence = resp.sequence_number;
    const entry = this.queue.inFlightAt(sequence);
    if (!entry || !this.queue.settle(entry, sequence)) {
      this.log.warn({ sequence, commandStatus: status }, 'submit_sm_resp after its timeout');
      return;
    }
    if (status === 0) {
      const id = typeof resp.message_id === 'string' ? resp.message_id : '';
      if (id === '') this.log.warn({ sequence }, 'submit_sm_resp without a message_id: its receipt cannot be matched');
      this.observer.submitAnswered(this.config.name, 'ok');
      entry.resolve(id);
    } else if (status === ESME_RTHROTTLED || status === ESME_RMSGQFUL) {
      this.pausedUntil = Date.now() + this.config.throttledPauseMs;
      this.retries.record(commandStatusName(status));
      this.observer.submitAnswered(this.config.name, 'throttled');
      entry.reject(new CarrierSubmitError('retry', String(status), `smsc busy (${commandStatusName(status)})`));
    } else {
      this.observer.submitAnswered(this.config.name, 'rejected');
      entry.reject(new CarrierSubmitError('permanent', String(status), `smsc rejected the submit (${commandStatusName(status)})`));
    }
    this.pump();
  }
}
